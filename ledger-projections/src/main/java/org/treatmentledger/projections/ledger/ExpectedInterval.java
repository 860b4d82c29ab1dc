package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The expected interval from a cycle's start to the next neuromodulator (docs/clinical-rules.md, Schedule and drift), using
 * only what happened before that cycle started: the median of the patient's own movement-return durations
 * once there are {@code personalHistoryMinimum}; else the median of their own past intervals once there are
 * that many; else by the cycle's intent (FULL 90 d; LIGHT and HALF_DOSE_TRIAL 120 d). The schedule never
 * proposes a date the RETREATMENT_TOO_SOON rule would refuse, so the result is at least that rule's minimum.
 * The schedule and the drift read model both call this, so drift's expected days are exactly what the
 * schedule showed when the earlier cycle started.
 */
public record ExpectedInterval(int days, Basis basis) {

    public enum Basis { MOVEMENT_RETURN_MEDIAN, INTERVAL_MEDIAN, INTENT_DEFAULT }

    public static ExpectedInterval forCycle(List<Cycle> cycles, int index, ClinicPolicy policy) {
        Cycle cycle = cycles.get(index);
        List<Integer> durations = new ArrayList<>();
        List<Integer> intervals = new ArrayList<>();
        for (int i = 0; i < index; i++) {
            cycles.get(i).movementReturnDays(policy.zone()).ifPresent(durations::add);
            intervals.add(LedgerDates.daysBetween(cycles.get(i).startDate(), cycles.get(i + 1).startDate()));
        }
        int minimum = policy.personalHistoryMinimum();
        int days;
        Basis basis;
        if (durations.size() >= minimum && !durations.isEmpty()) {
            days = median(durations);
            basis = Basis.MOVEMENT_RETURN_MEDIAN;
        } else if (intervals.size() >= minimum && !intervals.isEmpty()) {
            days = median(intervals);
            basis = Basis.INTERVAL_MEDIAN;
        } else {
            DoseIntent intent = cycle.start().intent();
            days = intent == null || intent == DoseIntent.FULL
                    ? policy.expectedIntervalFullDays() : policy.expectedIntervalLightDays();
            basis = Basis.INTENT_DEFAULT;
        }
        return new ExpectedInterval(Math.max(days, policy.minimumDays(RuleCode.RETREATMENT_TOO_SOON)), basis);
    }

    /** The median in whole days; an even count takes the mean of the middle two, half a day rounded up. */
    static int median(List<Integer> values) {
        List<Integer> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        if (n % 2 == 1) return sorted.get(n / 2);
        return (int) Math.ceil((sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0);
    }
}
