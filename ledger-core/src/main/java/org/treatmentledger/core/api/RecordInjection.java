package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records an initial injection, which opens a new cycle. A non-null override turns timing refusals into override events. */
public record RecordInjection(@TargetAggregateIdentifier PatientId patientId, String entryId, InjectionDetails details, OverrideRequest override) { }
