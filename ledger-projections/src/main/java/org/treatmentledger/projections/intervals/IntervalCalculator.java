package org.treatmentledger.projections.intervals;

import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ledger.Cycle;
import org.treatmentledger.projections.ledger.Cycles;
import org.treatmentledger.projections.ledger.ExpectedInterval;
import org.treatmentledger.projections.ledger.LedgerDates;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Interval drift from a patient's effective ledger. */
public final class IntervalCalculator {

    private final ClinicPolicy policy;

    public IntervalCalculator(ClinicPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
    }

    public IntervalsView intervals(PatientLedger ledger) {
        List<Cycle> cycles = Cycles.of(ledger, policy.zone()).all();
        List<IntervalsView.Interval> rows = new ArrayList<>();
        for (int i = 0; i + 1 < cycles.size(); i++) {
            Cycle from = cycles.get(i);
            Cycle to = cycles.get(i + 1);
            int actual = LedgerDates.daysBetween(from.startDate(), to.startDate());
            ExpectedInterval expected = ExpectedInterval.forCycle(cycles, i, policy);
            int drift = actual - expected.days();
            // Factors of cycle i are exactly those reported from its start up to the next start.
            Set<CycleFactor> factors = new LinkedHashSet<>();
            for (CycleFactorReported f : from.factors()) if (f.factor() != null) factors.add(f.factor());
            rows.add(new IntervalsView.Interval(from.number(), to.number(), from.startDate(), to.startDate(),
                    actual, expected.days(), expected.basis(), drift, List.copyOf(factors),
                    DriftClassification.of(drift, factors, policy.driftThresholdDays())));
        }
        return new IntervalsView(rows);
    }
}
