package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

/** A side effect with onset {@code occurredAt}; open until a {@link SideEffectResolved} names it. */
public record SideEffectReported(PatientId patientId, String entryId, String sideEffectId, Instant occurredAt,
                                 SideEffectType type, Severity severity, Zone zone, String relatedEntryId,
                                 @PersonalData String note) implements ClinicalEntry {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.SIDE_EFFECT_REPORTED; }
}
