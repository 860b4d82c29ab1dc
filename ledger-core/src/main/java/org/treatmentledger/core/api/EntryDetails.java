package org.treatmentledger.core.api;

import java.time.Instant;

/**
 * The clinical content of one entry, as the client states it. Record commands carry one; an amend
 * carries the replacement. The server adds ids, cycle numbers and advisories when it records it.
 */
public sealed interface EntryDetails permits InjectionDetails, TouchUpDetails, LaserSessionDetails,
        PhotoCheckpointDetails, SideEffectDetails, SideEffectResolutionDetails, CycleFactorDetails,
        MovementReturnDetails {

    Instant occurredAt();

    EntryType entryType();
}
