package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Reports a side effect; it stays open until resolved. */
public record ReportSideEffect(@TargetAggregateIdentifier PatientId patientId, String entryId, String sideEffectId, SideEffectDetails details) { }
