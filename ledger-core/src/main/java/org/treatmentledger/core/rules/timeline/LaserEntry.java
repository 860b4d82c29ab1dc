package org.treatmentledger.core.rules.timeline;

import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Zone;

import java.time.Instant;
import java.util.List;

/** A laser session: device class, treated zones and the optional series it belongs to. */
public record LaserEntry(String entryId, long sequence, Instant occurredAt, LaserDeviceClass deviceClass,
                         List<Zone> zones, String seriesId) implements TimelineEntry {

    public LaserEntry {
        zones = zones == null ? List.of() : List.copyOf(zones);
    }

    @Override
    public LaserEntry at(Instant occurredAt) {
        return new LaserEntry(entryId, sequence, occurredAt, deviceClass, zones, seriesId);
    }
}
