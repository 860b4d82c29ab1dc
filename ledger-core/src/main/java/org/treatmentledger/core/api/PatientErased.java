package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * The patient's personal data was erased: its data key is destroyed right after this event is stored, so every
 * personal field of the stream reads as null from then on; the clinical facts stay. Who asked is the event's
 * {@code recordedBy}, when is {@code occurredAt} (the server's time). The {@code reason} is the erasure's own
 * record, kept in clear so the ledger still says why: it is not the patient's data and must not contain any.
 */
public record PatientErased(PatientId patientId, String entryId, Instant occurredAt, String reason)
        implements PatientEvent {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.ERASURE; }
}
