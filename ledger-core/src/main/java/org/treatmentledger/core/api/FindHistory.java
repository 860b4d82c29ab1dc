package org.treatmentledger.core.api;

import java.time.Instant;

/** Every entry in occurredAt order; with {@code asOf}, only what had been recorded by that instant. */
public record FindHistory(PatientId patientId, Instant asOf) { }
