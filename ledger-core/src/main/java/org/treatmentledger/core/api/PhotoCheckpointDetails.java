package org.treatmentledger.core.api;

import java.time.Instant;
import java.util.List;

public record PhotoCheckpointDetails(Instant occurredAt, CheckpointKind kind, List<PhotoImage> images)
        implements EntryDetails {
    public PhotoCheckpointDetails {
        images = images == null ? List.of() : List.copyOf(images);
    }

    @Override
    public EntryType entryType() { return EntryType.PHOTO_CHECKPOINT; }
}
