package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

import java.time.Instant;

/** Opens a patient's ledger. {@code registeredAt} is clinical time; the server defaults it to now. */
public record RegisterPatient(@TargetAggregateIdentifier PatientId patientId, String clinicId, Sex sex,
                              Integer birthYear, String externalRef, Instant registeredAt) { }
