package org.treatmentledger.core.api;

import java.time.Instant;

public record CycleFactorDetails(Instant occurredAt, CycleFactor factor, String note) implements EntryDetails {
    @Override
    public EntryType entryType() { return EntryType.CYCLE_FACTOR; }
}
