package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Erases the patient's personal data (crypto-shredding); refused when it already was. */
public record ErasePatient(@TargetAggregateIdentifier PatientId patientId, String reason) { }
