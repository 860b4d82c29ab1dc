package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

public record CycleFactorReported(PatientId patientId, String entryId, Instant occurredAt, CycleFactor factor,
                                  @PersonalData String note) implements ClinicalEntry {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.CYCLE_FACTOR; }
}
