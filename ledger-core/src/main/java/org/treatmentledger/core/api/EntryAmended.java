package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

/**
 * An earlier entry is replaced. {@code replacement} has the target's entry id and the corrected content;
 * the original event stays on the stream. {@code occurredAt} is when the correction was made.
 */
public record EntryAmended(PatientId patientId, String entryId, Instant occurredAt, String targetEntryId,
                           @PersonalData String reason, ClinicalEntry replacement) implements PatientEvent {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.CORRECTION; }
}
