package org.treatmentledger.core.api;

/** Cumulative units per product and site: lifetime, per cycle and rolling 90 days. */
public record FindUnitHistory(PatientId patientId) { }
