package org.treatmentledger.projections.schedule;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.projections.TestLedger;
import org.treatmentledger.projections.ledger.ExpectedInterval;

import java.time.LocalDate;
import java.util.List;
import java.time.Instant;
import java.time.ZoneId;
import org.treatmentledger.core.api.InjectionRecorded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class ScheduleCalculatorTest {

    private final ScheduleCalculator calculator = new ScheduleCalculator(ClinicPolicy.defaults());

    private static LocalDate d(String date) { return LocalDate.parse(date); }

    private List<ScheduleItem> items(TestLedger t, String today) {
        return calculator.schedule(t.ledger(), d(today)).items();
    }

    private static ScheduleItem one(List<ScheduleItem> items, ScheduleItemKind kind) {
        List<ScheduleItem> found = items.stream().filter(i -> i.kind() == kind).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static ScheduleItem laser(List<ScheduleItem> items, LaserDeviceClass dc) {
        return items.stream().filter(i -> i.kind() == ScheduleItemKind.EARLIEST_LASER && i.deviceClass() == dc)
                .findFirst().orElseThrow();
    }

    private static ScheduleItem photo(List<ScheduleItem> items, CheckpointKind kind) {
        return items.stream().filter(i -> i.kind() == ScheduleItemKind.PHOTO_CHECKPOINT && i.checkpointKind() == kind)
                .findFirst().orElseThrow();
    }

    @Test
    void a_registered_patient_without_treatment_only_needs_a_baseline_photo() {
        TestLedger t = TestLedger.registered("p", "2026-01-05");
        List<ScheduleItem> items = items(t, "2026-01-06");
        assertThat(items).hasSize(1);
        ScheduleItem baseline = photo(items, CheckpointKind.BASELINE);
        assertThat(baseline.due()).isEqualTo(d("2026-01-05"));
        assertThat(baseline.windowEnd()).isNull();
        assertThat(baseline.status()).isEqualTo(ScheduleStatus.DUE);
    }

    @Test
    void baseline_is_done_when_taken_before_the_first_treatment_and_overdue_when_treatment_began_without_it() {
        TestLedger with = TestLedger.registered("p", "2026-01-05");
        with.photo("2026-01-10", CheckpointKind.BASELINE);
        with.inject("2026-01-10", DoseIntent.LIGHT, dose(Site.GLABELLA, 20));
        assertThat(photo(items(with, "2026-01-11"), CheckpointKind.BASELINE).status()).isEqualTo(ScheduleStatus.DONE);

        TestLedger without = TestLedger.registered("q", "2026-01-05");
        without.inject("2026-01-10", DoseIntent.LIGHT, dose(Site.GLABELLA, 20));
        without.photo("2026-01-20", CheckpointKind.BASELINE);
        ScheduleItem baseline = photo(items(without, "2026-01-21"), CheckpointKind.BASELINE);
        assertThat(baseline.windowEnd()).isEqualTo(d("2026-01-10"));
        assertThat(baseline.status()).isEqualTo(ScheduleStatus.OVERDUE);
    }

    @Test
    void two_week_review_goes_upcoming_due_overdue_and_is_done_by_a_review_photo() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        ScheduleItem review = one(items(t, "2026-03-10"), ScheduleItemKind.TWO_WEEK_REVIEW);
        assertThat(review.due()).isEqualTo(d("2026-03-16"));
        assertThat(review.windowEnd()).isEqualTo(d("2026-03-23"));
        assertThat(review.cycle()).isEqualTo(1);
        assertThat(review.status()).isEqualTo(ScheduleStatus.UPCOMING);
        assertThat(one(items(t, "2026-03-16"), ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(one(items(t, "2026-03-23"), ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(one(items(t, "2026-03-24"), ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.OVERDUE);

        t.photo("2026-03-17", CheckpointKind.POST_INJECTION_REVIEW);
        List<ScheduleItem> after = items(t, "2026-03-30");
        assertThat(one(after, ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.DONE);
        assertThat(photo(after, CheckpointKind.POST_INJECTION_REVIEW).status()).isEqualTo(ScheduleStatus.DONE);
    }

    @Test
    void an_early_review_photo_does_not_count_as_the_two_week_checkpoint() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.photo("2026-03-09", CheckpointKind.POST_INJECTION_REVIEW);
        List<ScheduleItem> items = items(t, "2026-03-20");
        ScheduleItem photo = photo(items, CheckpointKind.POST_INJECTION_REVIEW);
        assertThat(photo.due()).isEqualTo(d("2026-03-16"));
        assertThat(photo.windowEnd()).isEqualTo(d("2026-03-23"));
        assertThat(photo.status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(one(items, ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.DUE);
    }

    @Test
    void touch_up_window_is_done_by_a_touch_up_and_overdue_after_it_closes() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        ScheduleItem window = one(items(t, "2026-04-14"), ScheduleItemKind.TOUCH_UP_WINDOW);
        assertThat(window.due()).isEqualTo(d("2026-03-16"));
        assertThat(window.windowEnd()).isEqualTo(d("2026-04-13"));
        assertThat(window.status()).isEqualTo(ScheduleStatus.OVERDUE);

        t.touchUp("2026-03-18", dose(Site.GLABELLA, 4));
        List<ScheduleItem> items = items(t, "2026-04-14");
        assertThat(one(items, ScheduleItemKind.TOUCH_UP_WINDOW).status()).isEqualTo(ScheduleStatus.DONE);
        assertThat(one(items, ScheduleItemKind.TWO_WEEK_REVIEW).status()).isEqualTo(ScheduleStatus.DONE);
    }

    @Test
    void earliest_laser_per_device_class_follows_the_timing_rules() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20), dose(Site.FOREHEAD, 10));
        List<ScheduleItem> items = items(t, "2026-03-05");
        assertThat(items.stream().filter(i -> i.kind() == ScheduleItemKind.EARLIEST_LASER)).hasSize(3);
        ScheduleItem bbl = laser(items, LaserDeviceClass.BROADBAND_LIGHT);
        assertThat(bbl.due()).isEqualTo(d("2026-03-12"));
        assertThat(bbl.rule()).isEqualTo(RuleCode.LASER_AFTER_TOXIN_LIGHT);
        assertThat(bbl.status()).isEqualTo(ScheduleStatus.UPCOMING);
        assertThat(bbl.windowEnd()).isEqualTo(one(items, ScheduleItemKind.NEXT_NEUROMODULATOR).due());
        assertThat(laser(items, LaserDeviceClass.NON_ABLATIVE_FRACTIONAL).due()).isEqualTo(d("2026-03-12"));
        ScheduleItem ablative = laser(items, LaserDeviceClass.FRACTIONAL_ABLATIVE);
        assertThat(ablative.due()).isEqualTo(d("2026-03-16"));
        assertThat(ablative.rule()).isEqualTo(RuleCode.LASER_AFTER_TOXIN_ABLATIVE);
        assertThat(ablative.neckDue()).isNull();

        // A touch-up moves the light classes to +3 after it and the ablative class to +14 after it.
        t.touchUp("2026-03-17", dose(Site.FOREHEAD, 2));
        items = items(t, "2026-03-18");
        ScheduleItem bblAfter = laser(items, LaserDeviceClass.BROADBAND_LIGHT);
        assertThat(bblAfter.due()).isEqualTo(d("2026-03-20"));
        assertThat(bblAfter.rule()).isEqualTo(RuleCode.LASER_AFTER_TOUCH_UP);
        assertThat(laser(items, LaserDeviceClass.FRACTIONAL_ABLATIVE).due()).isEqualTo(d("2026-03-31"));
        assertThat(laser(items, LaserDeviceClass.FRACTIONAL_ABLATIVE).status()).isEqualTo(ScheduleStatus.UPCOMING);
    }

    @Test
    void periocular_toxin_delays_ablative_laser_to_21_days_and_platysma_delays_neck_sessions() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.CROWS_FEET_LEFT, 8), dose(Site.CROWS_FEET_RIGHT, 8),
                dose(Site.PLATYSMA, 30));
        List<ScheduleItem> items = items(t, "2026-03-05");
        ScheduleItem ablative = laser(items, LaserDeviceClass.FRACTIONAL_ABLATIVE);
        assertThat(ablative.due()).isEqualTo(d("2026-03-23"));
        assertThat(ablative.rule()).isEqualTo(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN);
        assertThat(ablative.neckDue()).isNull(); // the periocular wait already covers the neck's 21 days
        ScheduleItem bbl = laser(items, LaserDeviceClass.BROADBAND_LIGHT);
        assertThat(bbl.due()).isEqualTo(d("2026-03-12"));
        assertThat(bbl.neckDue()).isEqualTo(d("2026-03-23"));
    }

    @Test
    void earliest_laser_is_done_by_a_session_of_that_class_on_or_after_the_date() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.laser("2026-03-13", LaserDeviceClass.BROADBAND_LIGHT, null, null, Zone.CHEEKS);
        List<ScheduleItem> items = items(t, "2026-03-14");
        assertThat(laser(items, LaserDeviceClass.BROADBAND_LIGHT).status()).isEqualTo(ScheduleStatus.DONE);
        assertThat(laser(items, LaserDeviceClass.NON_ABLATIVE_FRACTIONAL).status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(laser(items, LaserDeviceClass.FRACTIONAL_ABLATIVE).status()).isEqualTo(ScheduleStatus.UPCOMING);
        // past the window (the next neuromodulator's due date) without a session
        assertThat(laser(items(t, "2026-06-01"), LaserDeviceClass.NON_ABLATIVE_FRACTIONAL).status())
                .isEqualTo(ScheduleStatus.OVERDUE);
    }

    @Test
    void next_neuromodulator_uses_the_intent_default_without_personal_history() {
        TestLedger full = TestLedger.registered("p", "2026-01-01");
        full.inject("2026-01-05", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        ScheduleItem next = one(items(full, "2026-02-01"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(next.due()).isEqualTo(d("2026-04-05"));
        assertThat(next.windowEnd()).isEqualTo(d("2026-05-05"));
        assertThat(next.expectedIntervalDays()).isEqualTo(90);
        assertThat(next.basis()).isEqualTo(ExpectedInterval.Basis.INTENT_DEFAULT);
        assertThat(next.status()).isEqualTo(ScheduleStatus.UPCOMING);
        assertThat(one(items(full, "2026-04-20"), ScheduleItemKind.NEXT_NEUROMODULATOR).status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(one(items(full, "2026-05-06"), ScheduleItemKind.NEXT_NEUROMODULATOR).status()).isEqualTo(ScheduleStatus.OVERDUE);

        TestLedger trial = TestLedger.registered("q", "2026-01-01");
        trial.inject("2026-01-05", DoseIntent.HALF_DOSE_TRIAL, dose(Site.GLABELLA, 10));
        assertThat(one(items(trial, "2026-02-01"), ScheduleItemKind.NEXT_NEUROMODULATOR).expectedIntervalDays()).isEqualTo(120);
        TestLedger light = TestLedger.registered("r", "2026-01-01");
        light.inject("2026-01-05", DoseIntent.LIGHT, dose(Site.GLABELLA, 10));
        assertThat(one(items(light, "2026-02-01"), ScheduleItemKind.NEXT_NEUROMODULATOR).due()).isEqualTo(d("2026-05-05"));
    }

    @Test
    void next_neuromodulator_uses_the_median_of_own_intervals_then_of_own_movement_returns() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.inject("2025-05-06", DoseIntent.FULL, dose(Site.GLABELLA, 20)); // 120 days
        t.inject("2025-08-14", DoseIntent.FULL, dose(Site.GLABELLA, 20)); // 100 days
        ScheduleItem byIntervals = one(items(t, "2025-08-20"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(byIntervals.basis()).isEqualTo(ExpectedInterval.Basis.INTERVAL_MEDIAN);
        assertThat(byIntervals.expectedIntervalDays()).isEqualTo(110);
        assertThat(byIntervals.due()).isEqualTo(d("2025-12-02"));

        TestLedger m = TestLedger.registered("q", "2025-01-01");
        m.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        m.movementReturn("2025-04-16"); // 100 days
        m.inject("2025-05-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        m.movementReturn("2025-08-08"); // 94 days
        m.inject("2025-08-14", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        ScheduleItem byReturns = one(items(m, "2025-08-20"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(byReturns.basis()).isEqualTo(ExpectedInterval.Basis.MOVEMENT_RETURN_MEDIAN);
        assertThat(byReturns.expectedIntervalDays()).isEqualTo(97);
    }

    @Test
    void next_neuromodulator_is_never_scheduled_before_retreatment_is_allowed() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-03-07"); // 60 days
        t.inject("2025-04-01", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-05-31"); // 60 days
        t.inject("2025-06-24", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        ScheduleItem next = one(items(t, "2025-06-25"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(next.expectedIntervalDays()).isEqualTo(84);
        assertThat(next.cycle()).isEqualTo(3);
    }

    @Test
    void laser_series_schedules_the_next_session_then_maintenance() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        t.laser("2026-01-10", LaserDeviceClass.NON_ABLATIVE_FRACTIONAL, "S1", null, Zone.FULL_FACE);
        ScheduleItem next = one(items(t, "2026-01-20"), ScheduleItemKind.LASER_SERIES_SESSION);
        assertThat(next.seriesId()).isEqualTo("S1");
        assertThat(next.deviceClass()).isEqualTo(LaserDeviceClass.NON_ABLATIVE_FRACTIONAL);
        assertThat(next.sessionNumber()).isEqualTo(2);
        assertThat(next.plannedSessions()).isEqualTo(3);
        assertThat(next.due()).isEqualTo(d("2026-02-07"));
        assertThat(next.windowEnd()).isEqualTo(d("2026-02-21"));
        assertThat(next.status()).isEqualTo(ScheduleStatus.UPCOMING);
        assertThat(one(items(t, "2026-02-10"), ScheduleItemKind.LASER_SERIES_SESSION).status()).isEqualTo(ScheduleStatus.DUE);
        assertThat(one(items(t, "2026-02-22"), ScheduleItemKind.LASER_SERIES_SESSION).status()).isEqualTo(ScheduleStatus.OVERDUE);

        t.laser("2026-02-10", LaserDeviceClass.NON_ABLATIVE_FRACTIONAL, "S1", null, Zone.FULL_FACE);
        t.laser("2026-03-15", LaserDeviceClass.NON_ABLATIVE_FRACTIONAL, "S1", null, Zone.FULL_FACE);
        List<ScheduleItem> items = items(t, "2026-04-01");
        assertThat(items).noneMatch(i -> i.kind() == ScheduleItemKind.LASER_SERIES_SESSION);
        ScheduleItem maintenance = one(items, ScheduleItemKind.LASER_MAINTENANCE);
        assertThat(maintenance.due()).isEqualTo(d("2026-09-15"));
        assertThat(maintenance.windowEnd()).isEqualTo(d("2027-03-15"));
        assertThat(maintenance.seriesId()).isEqualTo("S1");
        assertThat(maintenance.status()).isEqualTo(ScheduleStatus.UPCOMING);
        assertThat(one(items(t, "2027-03-16"), ScheduleItemKind.LASER_MAINTENANCE).status()).isEqualTo(ScheduleStatus.OVERDUE);

        t.laser("2026-10-01", LaserDeviceClass.NON_ABLATIVE_FRACTIONAL, null, null, Zone.FULL_FACE);
        assertThat(one(items(t, "2026-10-02"), ScheduleItemKind.LASER_MAINTENANCE).status()).isEqualTo(ScheduleStatus.DONE);
    }

    @Test
    void a_series_planned_for_two_sessions_completes_after_two() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        t.laser("2026-01-10", LaserDeviceClass.BROADBAND_LIGHT, "S2", 2, Zone.CHEEKS);
        t.laser("2026-02-10", LaserDeviceClass.BROADBAND_LIGHT, "S2", 2, Zone.CHEEKS);
        List<ScheduleItem> items = items(t, "2026-02-11");
        assertThat(items).noneMatch(i -> i.kind() == ScheduleItemKind.LASER_SERIES_SESSION);
        assertThat(one(items, ScheduleItemKind.LASER_MAINTENANCE).plannedSessions()).isEqualTo(2);
    }

    @Test
    void post_laser_photo_is_due_a_week_after_the_latest_session() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        t.laser("2026-01-10", LaserDeviceClass.BROADBAND_LIGHT, null, null, Zone.CHEEKS);
        ScheduleItem photo = photo(items(t, "2026-01-18"), CheckpointKind.POST_LASER);
        assertThat(photo.due()).isEqualTo(d("2026-01-17"));
        assertThat(photo.windowEnd()).isEqualTo(d("2026-01-24"));
        assertThat(photo.status()).isEqualTo(ScheduleStatus.DUE);
        t.photo("2026-01-18", CheckpointKind.POST_LASER);
        assertThat(photo(items(t, "2026-01-30"), CheckpointKind.POST_LASER).status()).isEqualTo(ScheduleStatus.DONE);
    }

    @Test
    void a_voided_injection_leaves_the_schedule_and_an_amended_one_counts_with_its_new_date() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        String first = t.inject("2026-01-05", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String wrong = t.inject("2026-04-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        assertThat(one(items(t, "2026-04-11"), ScheduleItemKind.NEXT_NEUROMODULATOR).cycle()).isEqualTo(2);

        t.voidEntry(wrong, at("2026-04-11"));
        ScheduleItem next = one(items(t, "2026-04-12"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(next.cycle()).isEqualTo(1);
        assertThat(next.due()).isEqualTo(d("2026-04-05"));

        t.amend(first, t.injection(first, "2026-01-07", DoseIntent.LIGHT, Product.ONABOTULINUMTOXIN_A, "LOT-A",
                dose(Site.GLABELLA, 12)), at("2026-04-12"));
        ScheduleItem amended = one(items(t, "2026-04-13"), ScheduleItemKind.NEXT_NEUROMODULATOR);
        assertThat(amended.due()).isEqualTo(d("2026-05-07"));
        assertThat(amended.expectedIntervalDays()).isEqualTo(120);
    }

    @Test
    void days_are_counted_in_the_clinic_zone() {
        ClinicPolicy d = ClinicPolicy.defaults();
        ClinicPolicy auckland = d.withZone(ZoneId.of("Pacific/Auckland"));
        TestLedger t = TestLedger.registered("p", "2026-02-20");
        String id = t.nextId();
        // 2026-03-01T20:00Z is already 2 March in Auckland (UTC+13)
        t.record(new InjectionRecorded(t.patient, id,
                Instant.parse("2026-03-01T20:00:00Z"), 1, Product.ONABOTULINUMTOXIN_A, null, null,
                DoseIntent.FULL, null, List.of(dose(Site.GLABELLA, 20)), null, List.of()));
        ScheduleItem utc = one(items(t, "2026-03-05"), ScheduleItemKind.TWO_WEEK_REVIEW);
        ScheduleItem local = one(new ScheduleCalculator(auckland).schedule(t.ledger(), d("2026-03-05")).items(),
                ScheduleItemKind.TWO_WEEK_REVIEW);
        assertThat(utc.due()).isEqualTo(d("2026-03-15"));
        assertThat(local.due()).isEqualTo(d("2026-03-16"));
    }

    @Test
    void items_come_in_due_date_order() {
        TestLedger t = TestLedger.registered("p", "2026-03-01");
        t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        List<ScheduleItem> items = items(t, "2026-03-03");
        assertThat(items).extracting(ScheduleItem::due).isSorted();
        assertThat(items).extracting(ScheduleItem::kind).containsOnly(ScheduleItemKind.PHOTO_CHECKPOINT,
                ScheduleItemKind.TWO_WEEK_REVIEW, ScheduleItemKind.TOUCH_UP_WINDOW, ScheduleItemKind.EARLIEST_LASER,
                ScheduleItemKind.NEXT_NEUROMODULATOR);
    }
}
