package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a laser session. */
public record RecordLaserSession(@TargetAggregateIdentifier PatientId patientId, String entryId, LaserSessionDetails details, OverrideRequest override) { }
