package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;

public record PhotoCheckpointRecorded(PatientId patientId, String entryId, Instant occurredAt,
                                      CheckpointKind kind, List<PhotoImage> images) implements ClinicalEntry {
    public PhotoCheckpointRecorded {
        images = images == null ? List.of() : List.copyOf(images);
    }

    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.PHOTO_CHECKPOINT; }
}
