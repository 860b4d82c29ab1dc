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

    /**
     * The sequence of an entry not recorded yet (a new command's candidate): it will be recorded after every
     * entry on the stream, so it comes last among the entries at its instant.
     */
    long NOT_YET_RECORDED = Long.MAX_VALUE;

    /**
     * Ledger order ({@link CycleModel}): clinical time, then the order the ledger first recorded the entries (an
     * amended entry keeps its place), then entry id, which only a caller's own sequences could leave tied.
     */
    Comparator<TimelineEntry> ORDER = Comparator.comparing(TimelineEntry::occurredAt)
            .thenComparingLong(TimelineEntry::sequence)
            .thenComparing(TimelineEntry::entryId);

    String entryId();

    /** The stream sequence of the entry's first recording (kept by an amend), or {@link #NOT_YET_RECORDED}. */
    long sequence();

    Instant occurredAt();

    default LocalDate date(ZoneId zone) { return occurredAt().atZone(zone).toLocalDate(); }

    /** The same entry moved to another clinical time (used to search for the earliest allowed date). */
    TimelineEntry at(Instant occurredAt);

    /** True when this entry comes before {@code other} in timeline order. */
    default boolean isBefore(TimelineEntry other) { return ORDER.compare(this, other) < 0; }
}
