package org.treatmentledger.core.api;

import java.time.Instant;

/**
 * Every event on a patient's stream. {@code occurredAt} is clinical time, given by the client (or, for
 * corrections, the server's time of the correction). The time an event was recorded is the Axon event
 * timestamp, and who recorded it is the {@code recordedBy} metadata entry: both are server-side.
 */
public sealed interface PatientEvent permits PatientRegistered, ClinicalEntry, EntryAmended, EntryVoided,
        RuleOverridden {

    /** Metadata key of the authenticated user who caused the event. */
    String RECORDED_BY = "recordedBy";

    PatientId patientId();

    String entryId();

    Instant occurredAt();

    EntryType entryType();
}
