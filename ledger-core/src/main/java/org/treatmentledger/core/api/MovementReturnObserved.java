package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;

public record MovementReturnObserved(PatientId patientId, String entryId, Instant occurredAt, List<Site> sites)
        implements ClinicalEntry {
    public MovementReturnObserved {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.MOVEMENT_RETURN; }
}
