package org.treatmentledger.core.api;

/** The patient's maintenance schedule, with statuses relative to today in the clinic's zone. */
public record FindSchedule(PatientId patientId) { }
