package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records that movement has returned: the effect is wearing off. */
public record ObserveMovementReturn(@TargetAggregateIdentifier PatientId patientId, String entryId, MovementReturnDetails details) { }
