package org.treatmentledger.core.api;

import java.time.Instant;

/** A side effect's report. {@code occurredAt} is its onset. */
public record SideEffectDetails(Instant occurredAt, SideEffectType type, Severity severity, Zone zone,
                                String relatedEntryId, String note) implements EntryDetails {
    @Override
    public EntryType entryType() { return EntryType.SIDE_EFFECT_REPORTED; }
}
