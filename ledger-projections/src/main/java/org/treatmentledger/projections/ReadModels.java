package org.treatmentledger.projections;

import java.util.List;

/** The read models' processing group names (TEAM.md), one pooled streaming processor each. */
public final class ReadModels {

    public static final String SCHEDULE = "schedule";
    public static final String UNITS = "units";
    public static final String INTERVALS = "intervals";
    public static final String HISTORY = "history";
    public static final String DURABILITY = "durability";
    public static final String LOTS = "lots";

    public static final List<String> PROCESSING_GROUPS = List.of(SCHEDULE, UNITS, INTERVALS, HISTORY, DURABILITY, LOTS);

    private ReadModels() { }
}
