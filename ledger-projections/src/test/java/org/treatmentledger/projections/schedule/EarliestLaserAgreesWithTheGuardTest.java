package org.treatmentledger.projections.schedule;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.TimingRules;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.Timeline;
import org.treatmentledger.core.rules.timeline.TimelineEntry;
import org.treatmentledger.projections.TestLedger;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.projections.TestLedger.dose;

/**
 * The schedule's EARLIEST_LASER is the guard's own answer: the day before it the timing rules refuse a session of
 * that device class, on it they do not (the waits after an injection only; no series, no side effects). Both read
 * LaserWait, so a wait changed in one place moves both; this pins it, also under a clinic's own numbers.
 */
class EarliestLaserAgreesWithTheGuardTest {

    private static final Set<RuleCode> WAITS = Set.of(RuleCode.LASER_AFTER_TOXIN_LIGHT, RuleCode.LASER_AFTER_TOUCH_UP,
            RuleCode.LASER_AFTER_TOXIN_ABLATIVE, RuleCode.LASER_AFTER_PERIOCULAR_TOXIN, RuleCode.LASER_NECK_AFTER_PLATYSMA);

    @Test
    void with_the_default_policy() {
        ClinicPolicy policy = ClinicPolicy.defaults();
        agree(policy, t -> t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20)));
        agree(policy, t -> {
            t.inject("2026-03-02", DoseIntent.FULL, dose(Site.GLABELLA, 20), dose(Site.CROWS_FEET_LEFT, 8));
            t.touchUp("2026-03-16", dose(Site.GLABELLA, 4));
        });
        agree(policy, t -> {
            t.inject("2026-03-02", DoseIntent.FULL, dose(Site.PLATYSMA, 30));
            t.touchUp("2026-03-20", dose(Site.LATERAL_BROW_LEFT, 2));
        });
    }

    @Test
    void with_a_clinic_that_waits_longer_after_a_touch_up_than_after_an_initial_injection() {
        ClinicPolicy.Settings settings = new ClinicPolicy.Settings();
        settings.getMinimumDays().put(RuleCode.LASER_AFTER_TOUCH_UP, 30);
        ClinicPolicy policy = settings.toPolicy();
        // The previous cycle's touch-up still holds a light laser back after the next cycle has started.
        agree(policy, t -> {
            t.inject("2026-01-01", DoseIntent.FULL, dose(Site.GLABELLA, 20));
            t.touchUp("2026-01-20", dose(Site.GLABELLA, 4));
            t.inject("2026-01-25", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        });
    }

    private static void agree(ClinicPolicy policy, Consumer<TestLedger> history) {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        history.accept(t);
        Timeline timeline = new Timeline();
        List<ClinicalEntry> effective = t.ledger().effective();
        for (int n = 0; n < effective.size(); n++) {
            if (effective.get(n) instanceof InjectionRecorded i) timeline.add(DoseEntry.of(i, n));
            else if (effective.get(n) instanceof TouchUpRecorded u) timeline.add(DoseEntry.of(u, n));
        }
        List<ScheduleItem> items = new ScheduleCalculator(policy).schedule(t.ledger(), LocalDate.parse("2026-04-01")).items();
        for (LaserDeviceClass device : LaserDeviceClass.values()) {
            ScheduleItem item = items.stream()
                    .filter(i -> i.kind() == ScheduleItemKind.EARLIEST_LASER && i.deviceClass() == device)
                    .findFirst().orElseThrow();
            assertThat(waitsBroken(timeline, device, Zone.CHEEKS, item.due().minusDays(1), policy))
                    .as(device + " the day before " + item.due()).isNotEmpty();
            assertThat(waitsBroken(timeline, device, Zone.CHEEKS, item.due(), policy))
                    .as(device + " on " + item.due()).isEmpty();
            if (item.neckDue() != null) {
                assertThat(waitsBroken(timeline, device, Zone.NECK, item.neckDue().minusDays(1), policy)).isNotEmpty();
                assertThat(waitsBroken(timeline, device, Zone.NECK, item.neckDue(), policy)).isEmpty();
            }
        }
    }

    private static List<RuleCode> waitsBroken(Timeline timeline, LaserDeviceClass device, Zone zone, LocalDate day,
                                              ClinicPolicy policy) {
        LaserEntry session = new LaserEntry("probe", TimelineEntry.NOT_YET_RECORDED, day.atTime(12, 0).toInstant(ZoneOffset.UTC), device, List.of(zone), null);
        return TimingRules.findings(session, timeline.view(policy.zone(), null, session), policy).stream()
                .map(TimingRules.Finding::code).filter(WAITS::contains).toList();
    }
}
