package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.PatientEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a patient's stream as a read model keeps it: the event itself, its position on the stream
 * ({@code sequence}, the aggregate sequence number), when the server recorded it (the Axon event timestamp)
 * and who recorded it (the {@code recordedBy} metadata entry).
 */
public record RecordedEvent(long sequence, PatientEvent event, Instant recordedAt, String recordedBy) {
    public RecordedEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
