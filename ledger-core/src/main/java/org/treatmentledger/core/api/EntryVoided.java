package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

/** An earlier entry no longer counts anywhere, but stays in the history. */
public record EntryVoided(PatientId patientId, String entryId, Instant occurredAt, String targetEntryId,
                          @PersonalData String reason) implements PatientEvent {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.CORRECTION; }
}
