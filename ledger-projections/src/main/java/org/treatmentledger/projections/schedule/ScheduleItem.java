package org.treatmentledger.projections.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.projections.ledger.ExpectedInterval;

import java.time.LocalDate;

/**
 * One item of the maintenance schedule. Fields that do not apply to the kind are absent from the JSON.
 *
 * @param kind                 what is due
 * @param due                  first day it is due (for EARLIEST_LASER: the earliest day the timing rules allow)
 * @param windowEnd            last day of its window (null: open-ended)
 * @param status               relative to today in the clinic's zone, computed when queried
 * @param cycle                the cycle the item belongs to (cycle-bound kinds)
 * @param deviceClass          EARLIEST_LASER, LASER_SERIES_SESSION, LASER_MAINTENANCE
 * @param rule                 EARLIEST_LASER: the timing rule that sets {@code due}
 * @param neckDue              EARLIEST_LASER: the earliest day for a session on the neck, when a platysma
 *                             injection (LASER_NECK_AFTER_PLATYSMA) makes it later than {@code due}
 * @param seriesId             LASER_SERIES_SESSION, LASER_MAINTENANCE
 * @param sessionNumber        LASER_SERIES_SESSION: which session of the series is next
 * @param plannedSessions      LASER_SERIES_SESSION, LASER_MAINTENANCE: the series' planned count
 * @param checkpointKind       PHOTO_CHECKPOINT
 * @param expectedIntervalDays NEXT_NEUROMODULATOR: days from the cycle start
 * @param basis                NEXT_NEUROMODULATOR: what the expected interval was derived from
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleItem(ScheduleItemKind kind, LocalDate due, LocalDate windowEnd, ScheduleStatus status,
                           Integer cycle, LaserDeviceClass deviceClass, RuleCode rule, LocalDate neckDue,
                           String seriesId, Integer sessionNumber, Integer plannedSessions,
                           CheckpointKind checkpointKind, Integer expectedIntervalDays,
                           ExpectedInterval.Basis basis) {

    static ScheduleItem of(ScheduleItemKind kind, LocalDate due, LocalDate windowEnd, ScheduleStatus status) {
        return new ScheduleItem(kind, due, windowEnd, status, null, null, null, null, null, null, null, null,
                null, null);
    }

    ScheduleItem withCycle(int c) {
        return new ScheduleItem(kind, due, windowEnd, status, c, deviceClass, rule, neckDue, seriesId,
                sessionNumber, plannedSessions, checkpointKind, expectedIntervalDays, basis);
    }

    ScheduleItem withLaser(LaserDeviceClass dc, RuleCode r, LocalDate neck) {
        return new ScheduleItem(kind, due, windowEnd, status, cycle, dc, r, neck, seriesId, sessionNumber,
                plannedSessions, checkpointKind, expectedIntervalDays, basis);
    }

    ScheduleItem withSeries(LaserDeviceClass dc, String id, Integer session, int planned) {
        return new ScheduleItem(kind, due, windowEnd, status, cycle, dc, rule, neckDue, id, session, planned,
                checkpointKind, expectedIntervalDays, basis);
    }

    ScheduleItem withCheckpoint(CheckpointKind ck) {
        return new ScheduleItem(kind, due, windowEnd, status, cycle, deviceClass, rule, neckDue, seriesId,
                sessionNumber, plannedSessions, ck, expectedIntervalDays, basis);
    }

    ScheduleItem withExpected(ExpectedInterval expected) {
        return new ScheduleItem(kind, due, windowEnd, status, cycle, deviceClass, rule, neckDue, seriesId,
                sessionNumber, plannedSessions, checkpointKind, expected.days(), expected.basis());
    }
}
