package org.treatmentledger.core.rules.timeline;

import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Zone;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A reported side effect and, once resolved, its resolution. Open on a date when its onset is on or before
 * that date and it has no resolution on or before that date.
 */
public record SideEffectEntry(String entryId, String sideEffectId, Instant onset, SideEffectType type, Zone zone,
                              String resolutionEntryId, Instant resolvedAt) {

    public boolean isResolved() { return resolvedAt != null; }

    public boolean isOpenOn(LocalDate date, ZoneId zone) {
        if (onset.atZone(zone).toLocalDate().isAfter(date)) return false;
        return resolvedAt == null || resolvedAt.atZone(zone).toLocalDate().isAfter(date);
    }

    public LocalDate resolutionDate(ZoneId zone) {
        return resolvedAt == null ? null : resolvedAt.atZone(zone).toLocalDate();
    }

    public SideEffectEntry resolved(String resolutionEntryId, Instant resolvedAt) {
        return new SideEffectEntry(entryId, sideEffectId, onset, type, this.zone, resolutionEntryId, resolvedAt);
    }
}
