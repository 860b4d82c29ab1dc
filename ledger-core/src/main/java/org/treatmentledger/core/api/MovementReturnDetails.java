package org.treatmentledger.core.api;

import java.time.Instant;
import java.util.List;

/** The effect is observed wearing off: the direct measure of how long results last. */
public record MovementReturnDetails(Instant occurredAt, List<Site> sites) implements EntryDetails {
    public MovementReturnDetails {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    @Override
    public EntryType entryType() { return EntryType.MOVEMENT_RETURN; }
}
