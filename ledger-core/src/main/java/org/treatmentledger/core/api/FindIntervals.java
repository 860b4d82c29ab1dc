package org.treatmentledger.core.api;

/** Interval drift: one row per consecutive pair of cycles. */
public record FindIntervals(PatientId patientId) { }
