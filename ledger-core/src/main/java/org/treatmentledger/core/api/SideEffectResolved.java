package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

public record SideEffectResolved(PatientId patientId, String entryId, String sideEffectId, Instant occurredAt,
                                 @PersonalData String note) implements ClinicalEntry {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.SIDE_EFFECT_RESOLVED; }
}
