package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that a reported side effect has resolved. */
public record ResolveSideEffect(@TargetAggregateIdentifier PatientId patientId, String entryId, String sideEffectId, SideEffectResolutionDetails details) { }
