package org.treatmentledger.core.rules.timeline;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;

/**
 * A read-only view of a patient's timeline for the rules: bounded date-window queries, so that deciding on
 * one command costs the same with 10 or 10,000 entries on the stream.
 */
public interface TimelineView {

    /** The clinic's zone: dates and day counts are local dates in it. */
    ZoneId zone();

    /** The entry being decided on (null when none): it is part of this view. */
    TimelineEntry candidate();

    /** Initial injections and touch-ups with local dates from {@code from} to {@code to}, inclusive, in timeline order. */
    List<DoseEntry> doses(LocalDate from, LocalDate to);

    /** Laser sessions with local dates from {@code from} to {@code to}, inclusive, in timeline order. */
    List<LaserEntry> lasers(LocalDate from, LocalDate to);

    /**
     * The initial injection that opens the cycle {@code entry} belongs to ({@link CycleModel}): {@code entry}
     * itself if it is one, else the last initial injection before it in timeline order; null before the first.
     */
    DoseEntry cycleStart(TimelineEntry entry);

    /** The number of the cycle {@code entry} belongs to ({@link CycleModel}; 0 before the first initial injection). */
    int cycleNumber(TimelineEntry entry);

    /** The last initial injection before {@code entry} in timeline order (not {@code entry} itself). */
    DoseEntry previousInitial(TimelineEntry entry);

    /** How many initial injections come before {@code entry} in timeline order. */
    int initialsBefore(TimelineEntry entry);

    /** Every side effect on record (few per patient), open or resolved. */
    Collection<SideEffectEntry> sideEffects();
}
