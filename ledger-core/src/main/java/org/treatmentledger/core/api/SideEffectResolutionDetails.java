package org.treatmentledger.core.api;

import java.time.Instant;

public record SideEffectResolutionDetails(Instant occurredAt, String note) implements EntryDetails {
    @Override
    public EntryType entryType() { return EntryType.SIDE_EFFECT_RESOLVED; }
}
