package org.treatmentledger.projections;

import java.util.List;

/**
 * The read models. History keeps every patient event in one table ({@code ledger_event}); schedule, unit history
 * and intervals are computed from its rows when queried; durability and lots keep rows derived per patient. The
 * three processing groups that handle events (each with its own handlers, reset handler and dead-letter queue)
 * are assigned to one pooled streaming processor, {@link #PROCESSOR}: each event is read, deserialised and
 * stored once, in one transaction. Six processors each keeping its own copy did all of that six times, which
 * on a small machine cost more than the read models' own work (docs/PERFORMANCE.md).
 */
public final class ReadModels {

    public static final String SCHEDULE = "schedule";
    public static final String UNITS = "units";
    public static final String INTERVALS = "intervals";
    public static final String HISTORY = "history";
    public static final String DURABILITY = "durability";
    public static final String LOTS = "lots";

    /** The one event processor (and token) all read models share. */
    public static final String PROCESSOR = "read-models";

    /** The read models by name (queries, rebuilds): schedule, units and intervals are views of history's table. */
    public static final List<String> READ_MODELS = List.of(SCHEDULE, UNITS, INTERVALS, HISTORY, DURABILITY, LOTS);

    /** The processing groups that handle events: history keeps the ledger's events, the other two derive rows. */
    public static final List<String> PROCESSING_GROUPS = List.of(HISTORY, DURABILITY, LOTS);

    private ReadModels() { }
}
