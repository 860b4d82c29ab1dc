package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Replaces an earlier entry's content. The original stays in the ledger; the rules re-check the replacement as if
 * it were recorded now. The replacement's reading of the target's type is the one recorded (see {@link Replacement}).
 */
public record AmendEntry(@TargetAggregateIdentifier PatientId patientId, String entryId, String targetEntryId,
                         String reason, Replacement replacement, OverrideRequest override) {

    /** An amend whose replacement is of one known type. */
    public AmendEntry(PatientId patientId, String entryId, String targetEntryId, String reason,
                      EntryDetails replacement, OverrideRequest override) {
        this(patientId, entryId, targetEntryId, reason, Replacement.of(replacement), override);
    }
}
