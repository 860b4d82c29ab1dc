package org.treatmentledger.projections.schedule;

import java.time.LocalDate;

/**
 * An item's status relative to today in the clinic's zone: DONE when the ledger shows it happened (each kind
 * defines what counts, see {@link ScheduleCalculator}); otherwise UPCOMING before the due date, DUE from the
 * due date to the window's end (inclusive; open-ended without one), OVERDUE after the window ended.
 */
public enum ScheduleStatus {
    UPCOMING, DUE, OVERDUE, DONE;

    public static ScheduleStatus of(LocalDate due, LocalDate windowEnd, boolean done, LocalDate today) {
        if (done) return DONE;
        if (today.isBefore(due)) return UPCOMING;
        if (windowEnd == null || !today.isAfter(windowEnd)) return DUE;
        return OVERDUE;
    }
}
