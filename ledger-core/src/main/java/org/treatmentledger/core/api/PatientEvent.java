package org.treatmentledger.core.api;

import org.treatmentledger.core.personaldata.DataSubject;

import java.time.Instant;

/**
 * Every event on a patient's stream. {@code occurredAt} is clinical time, given by the client (or, for
 * corrections, the server's time of the correction). The time an event was recorded is the Axon event
 * timestamp, and who recorded it is the {@code recordedBy} metadata entry: both are server-side.
 */
public sealed interface PatientEvent permits PatientRegistered, ClinicalEntry, EntryAmended, EntryVoided,
        RuleOverridden, PatientErased {

    /** Metadata key of the authenticated user who caused the event. */
    String RECORDED_BY = "recordedBy";

    /** The data subject: every personal field of the event is encrypted under this patient's key. */
    @DataSubject
    PatientId patientId();

    String entryId();

    Instant occurredAt();

    EntryType entryType();
}
