package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Replaces an earlier entry's content. The original stays in the ledger; the rules re-check the replacement as if it were recorded now. */
public record AmendEntry(@TargetAggregateIdentifier PatientId patientId, String entryId, String targetEntryId, String reason, EntryDetails replacement, OverrideRequest override) { }
