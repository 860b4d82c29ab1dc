package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a reported factor that changes how long results last. */
public record ReportCycleFactor(@TargetAggregateIdentifier PatientId patientId, String entryId, CycleFactorDetails details) { }
