package org.treatmentledger.projections.store;

import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.time.Instant;

/** Builds the stored form of an event from what an Axon event handler receives. */
public final class RecordedEvents {

    private RecordedEvents() { }

    public static RecordedEvent of(PatientEvent event, Long sequence, Instant timestamp, String recordedBy) {
        if (sequence == null) {
            throw new IllegalArgumentException(event.getClass().getSimpleName() + " " + event.entryId()
                    + " has no aggregate sequence number");
        }
        return new RecordedEvent(sequence, event, timestamp, recordedBy);
    }
}
