package org.treatmentledger.core.rules.timeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;

/**
 * What the timing rules need to know about one treatment on the patient's timeline: a small projection of
 * the event, kept in the aggregate's state instead of the full event.
 */
public sealed interface TimelineEntry permits DoseEntry, LaserEntry {

    /** Timeline order: clinical time, then entry id so that equal times still have one order. */
    Comparator<TimelineEntry> ORDER = Comparator.comparing(TimelineEntry::occurredAt)
            .thenComparing(TimelineEntry::entryId);

    String entryId();

    Instant occurredAt();

    default LocalDate date(ZoneId zone) { return occurredAt().atZone(zone).toLocalDate(); }

    /** The same entry moved to another clinical time (used to search for the earliest allowed date). */
    TimelineEntry at(Instant occurredAt);

    /** True when this entry comes before {@code other} in timeline order. */
    default boolean isBefore(TimelineEntry other) { return ORDER.compare(this, other) < 0; }
}
