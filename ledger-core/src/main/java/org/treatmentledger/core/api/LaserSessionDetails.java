package org.treatmentledger.core.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One laser session. {@code seriesPlannedSessions} is how many sessions the series is planned for
 * (the schedule assumes the policy default, 3, when absent).
 */
public record LaserSessionDetails(Instant occurredAt, LaserDeviceClass deviceClass, String deviceModel,
                                  List<Zone> zones, Integer passes, BigDecimal densityPercent,
                                  BigDecimal energyMj, BigDecimal fluenceJPerCm2, Integer wavelengthNm,
                                  String seriesId, Integer seriesPlannedSessions, String operator)
        implements EntryDetails {
    public LaserSessionDetails {
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    @Override
    public EntryType entryType() { return EntryType.LASER_SESSION; }
}
