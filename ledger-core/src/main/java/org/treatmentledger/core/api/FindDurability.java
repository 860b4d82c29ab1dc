package org.treatmentledger.core.api;

import java.util.List;

/** Observed durations across patients, grouped by the given dimensions. */
public record FindDurability(List<DurabilityDimension> groupBy) {
    public FindDurability {
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    }
}
