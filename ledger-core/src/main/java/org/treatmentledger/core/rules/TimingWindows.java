package org.treatmentledger.core.rules;

import java.time.LocalDate;

/**
 * The date windows of the timing rules that the schedule shows as well: the guard ({@link TimingRules}) refuses
 * outside them and the schedule (ledger-projections' ScheduleCalculator) shows them, from this one definition.
 */
public final class TimingWindows {

    private TimingWindows() { }

    /** From {@code opens} to {@code closes}, both days included. */
    public record DateWindow(LocalDate opens, LocalDate closes) { }

    /**
     * A touch-up's window in the cycle that started on {@code cycleStart}: before it opens is TOUCH_UP_TOO_EARLY
     * (the two-week review), after it closes TOUCH_UP_WITHOUT_CYCLE.
     */
    public static DateWindow touchUp(LocalDate cycleStart, ClinicPolicy policy) {
        return new DateWindow(cycleStart.plusDays(policy.minimumDays(RuleCode.TOUCH_UP_TOO_EARLY)),
                cycleStart.plusDays(policy.touchUpWindowCloseDays()));
    }

    /**
     * The next session of a laser series whose last session was on {@code lastSession}: before it opens is
     * LASER_SERIES_SPACING; its close is the schedule's (the rule does not refuse a late session).
     */
    public static DateWindow nextSeriesSession(LocalDate lastSession, ClinicPolicy policy) {
        return new DateWindow(lastSession.plusDays(policy.minimumDays(RuleCode.LASER_SERIES_SPACING)),
                lastSession.plusDays(policy.laserSeriesWindowEndDays()));
    }
}
