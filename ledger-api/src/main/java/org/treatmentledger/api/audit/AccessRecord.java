package org.treatmentledger.api.audit;

import java.time.Instant;
import java.util.Set;

/**
 * One request on one patient's data. {@code clinic} is the patient's (null when no such patient exists);
 * {@code callerClinics} the caller's.
 */
record AccessRecord(Instant at, String user, String role, String clinic, Set<String> callerClinics, String patientId,
                    AccessAction action, String resource, int status, Purpose purpose) { }
