package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a touch-up inside the open cycle. */
public record RecordTouchUp(@TargetAggregateIdentifier PatientId patientId, String entryId, TouchUpDetails details, OverrideRequest override) { }
