package org.treatmentledger.projections.intervals;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.TestLedger;
import org.treatmentledger.projections.ledger.ExpectedInterval;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class IntervalCalculatorTest {

    private final IntervalCalculator calculator = new IntervalCalculator(ClinicPolicy.defaults());

    private List<IntervalsView.Interval> intervals(TestLedger t) {
        return calculator.intervals(t.ledger()).intervals();
    }

    @Test
    void one_row_per_consecutive_pair_with_drift_against_the_intent_default() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.inject("2025-04-10", DoseIntent.LIGHT, dose(Site.GLABELLA, 20)); // 94 days, expected 90
        t.inject("2025-09-17", DoseIntent.FULL, dose(Site.GLABELLA, 20)); // 160 days, expected 120 (LIGHT)
        List<IntervalsView.Interval> rows = intervals(t);
        assertThat(rows).hasSize(2);
        IntervalsView.Interval first = rows.get(0);
        assertThat(first.fromCycle()).isEqualTo(1);
        assertThat(first.toCycle()).isEqualTo(2);
        assertThat(first.actualDays()).isEqualTo(94);
        assertThat(first.expectedDays()).isEqualTo(90);
        assertThat(first.driftDays()).isEqualTo(4);
        assertThat(first.classification()).isEqualTo(DriftClassification.ON_TIME);
        IntervalsView.Interval second = rows.get(1);
        assertThat(second.actualDays()).isEqualTo(160);
        assertThat(second.expectedDays()).isEqualTo(120);
        assertThat(second.expectedBasis()).isEqualTo(ExpectedInterval.Basis.INTENT_DEFAULT);
        assertThat(second.driftDays()).isEqualTo(40);
        assertThat(second.classification()).isEqualTo(DriftClassification.EXTENDED);
    }

    @Test
    void shortened_by_14_days_or_more_is_stress_shortened_only_with_a_stress_factor_in_between() {
        TestLedger stressed = TestLedger.registered("p", "2025-01-01");
        stressed.inject("2025-01-06", DoseIntent.LIGHT, dose(Site.GLABELLA, 10));
        stressed.factor("2025-02-01", CycleFactor.INTENSE_TRAINING);
        stressed.factor("2025-03-01", CycleFactor.STRESS);
        stressed.factor("2025-03-02", CycleFactor.STRESS);
        stressed.inject("2025-04-22", DoseIntent.LIGHT, dose(Site.GLABELLA, 10)); // 106 days vs 120
        stressed.factor("2025-05-01", CycleFactor.ILLNESS); // after the second start: not between
        IntervalsView.Interval row = intervals(stressed).get(0);
        assertThat(row.driftDays()).isEqualTo(-14);
        assertThat(row.factors()).containsExactly(CycleFactor.INTENSE_TRAINING, CycleFactor.STRESS);
        assertThat(row.classification()).isEqualTo(DriftClassification.STRESS_SHORTENED);

        TestLedger plain = TestLedger.registered("q", "2025-01-01");
        plain.inject("2025-01-06", DoseIntent.LIGHT, dose(Site.GLABELLA, 10));
        plain.factor("2025-02-01", CycleFactor.ILLNESS);
        plain.inject("2025-04-22", DoseIntent.LIGHT, dose(Site.GLABELLA, 10));
        assertThat(intervals(plain).get(0).classification()).isEqualTo(DriftClassification.SHORTENED);

        TestLedger almost = TestLedger.registered("r", "2025-01-01");
        almost.inject("2025-01-06", DoseIntent.LIGHT, dose(Site.GLABELLA, 10));
        almost.factor("2025-02-01", CycleFactor.STRESS);
        almost.inject("2025-04-23", DoseIntent.LIGHT, dose(Site.GLABELLA, 10)); // -13
        assertThat(intervals(almost).get(0).classification()).isEqualTo(DriftClassification.ON_TIME);
    }

    @Test
    void expected_days_use_only_history_before_the_earlier_cycle() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-04-06"); // 90
        t.inject("2025-04-20", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-07-29"); // 100
        t.inject("2025-08-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-11-28"); // 110: recorded in cycle 3, cannot shape the 2->3 expectation
        t.inject("2025-12-15", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        List<IntervalsView.Interval> rows = intervals(t);
        assertThat(rows).extracting(IntervalsView.Interval::expectedBasis).containsExactly(
                ExpectedInterval.Basis.INTENT_DEFAULT, ExpectedInterval.Basis.INTENT_DEFAULT,
                ExpectedInterval.Basis.MOVEMENT_RETURN_MEDIAN);
        assertThat(rows.get(1).expectedDays()).isEqualTo(90);
        assertThat(rows.get(2).expectedDays()).isEqualTo(95);
    }

    @Test
    void a_voided_cycle_disappears_from_the_pairs() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String wrong = t.inject("2025-04-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.inject("2025-07-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.voidEntry(wrong, at("2025-07-11"));
        List<IntervalsView.Interval> rows = intervals(t);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.fromCycle()).isEqualTo(1);
            assertThat(r.toCycle()).isEqualTo(2);
            assertThat(r.actualDays()).isEqualTo(185);
        });
    }
}
