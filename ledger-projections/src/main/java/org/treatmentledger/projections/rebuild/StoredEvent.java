package org.treatmentledger.projections.rebuild;

import org.treatmentledger.core.serialization.IsoInstant;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.EventCodec;

import java.io.IOException;

/** An event as the event table holds it, decoded into what the read models derive from only when asked. */
record StoredEvent(String patientId, long sequence, String className, byte[] payload, String timestamp,
                   byte[] metadata) {

    RecordedEvent decode(EventCodec codec) {
        String recordedBy;
        try {
            recordedBy = metadata == null ? null : RecordedByMetadata.read(metadata);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable metadata of " + patientId + "/" + sequence, e);
        }
        return new RecordedEvent(sequence, codec.fromJson(className.substring(className.lastIndexOf('.') + 1),
                payload), IsoInstant.parse(timestamp), recordedBy);
    }
}
