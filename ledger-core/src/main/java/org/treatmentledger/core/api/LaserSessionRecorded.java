package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

public record LaserSessionRecorded(PatientId patientId, String entryId, Instant occurredAt,
                                   LaserDeviceClass deviceClass, String deviceModel, List<Zone> zones,
                                   Integer passes, BigDecimal densityPercent, BigDecimal energyMj,
                                   BigDecimal fluenceJPerCm2, Integer wavelengthNm, String seriesId,
                                   Integer seriesPlannedSessions, String operator, List<Advisory> advisories)
        implements ClinicalEntry {
    public LaserSessionRecorded {
        zones = zones == null ? List.of() : List.copyOf(zones);
        advisories = advisories == null ? List.of() : List.copyOf(advisories);
    }

    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.LASER_SESSION; }
}
