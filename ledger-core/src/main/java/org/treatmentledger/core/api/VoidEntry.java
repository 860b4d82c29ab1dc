package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Voids an earlier entry: it leaves totals and schedules but stays in the history. Always accepted with a reason. */
public record VoidEntry(@TargetAggregateIdentifier PatientId patientId, String entryId, String targetEntryId, String reason) { }
