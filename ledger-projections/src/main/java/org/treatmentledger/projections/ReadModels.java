package org.treatmentledger.projections;

import java.util.List;

/**
 * The read models: one processing group each (its own handlers, table, reset handler and dead-letter queue),
 * all assigned to one pooled streaming processor, {@link #PROCESSOR}. One processor reads and deserialises
 * each event once and handles it for all six in one transaction; six processors did all of that six times,
 * which on a small machine cost more than the read models' own work (docs/PERFORMANCE.md).
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

    public static final List<String> PROCESSING_GROUPS = List.of(SCHEDULE, UNITS, INTERVALS, HISTORY, DURABILITY, LOTS);

    private ReadModels() { }
}
