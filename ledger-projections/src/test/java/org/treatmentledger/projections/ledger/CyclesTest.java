package org.treatmentledger.projections.ledger;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.projections.TestLedger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.projections.TestLedger.dose;

/**
 * The read side's cycles at the cycle model's two boundaries (docs/clinical-rules.md, Cycles), the same cases as
 * ledger-core's PatientCycleBoundaryTest on the write side: ledger order is occurredAt, then the order recorded.
 */
class CyclesTest {

    private static Instant at(String date, int hour) {
        return LocalDate.parse(date).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private static InjectionRecorded injection(TestLedger t, String id, Instant when) {
        InjectionRecorded i = t.injection(id, "2026-03-02", DoseIntent.LIGHT, Product.ONABOTULINUMTOXIN_A, "LOT-A",
                dose(Site.GLABELLA, 20));
        return new InjectionRecorded(i.patientId(), id, when, 0, i.product(), i.lot(), null, i.intent(), i.indication(),
                i.sites(), null, List.of());
    }

    private static TouchUpRecorded touchUp(TestLedger t, String id, Instant when) {
        TouchUpRecorded u = t.touchUpEvent(id, "2026-03-02", Product.ONABOTULINUMTOXIN_A, "LOT-A", dose(Site.GLABELLA, 4));
        return new TouchUpRecorded(u.patientId(), id, when, 0, u.product(), u.lot(), null, u.indication(), u.sites(),
                null, List.of());
    }

    private static ClinicalEntry entry(List<ClinicalEntry> effective, String id) {
        return effective.stream().filter(e -> e.entryId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void a_touch_up_on_the_morning_of_a_new_cycle_belongs_to_the_cycle_it_followed() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        t.record(injection(t, "c1", at("2026-03-02", 10)));
        t.record(injection(t, "c2", at("2026-03-16", 15)));
        t.record(touchUp(t, "tu", at("2026-03-16", 9)));
        t.record(touchUp(t, "late", at("2026-03-16", 16)));
        List<ClinicalEntry> effective = t.ledger().effective();
        Cycles cycles = Cycles.of(effective, ZoneOffset.UTC);

        assertThat(cycles.numberOf(entry(effective, "tu"))).isEqualTo(1);
        assertThat(cycles.numberOf(entry(effective, "late"))).isEqualTo(2);
        assertThat(cycles.all().get(0).touchUps()).extracting(ClinicalEntry::entryId).containsExactly("tu");
        assertThat(cycles.all().get(1).touchUps()).extracting(ClinicalEntry::entryId).containsExactly("late");
    }

    @Test
    void of_two_initial_injections_at_one_instant_the_one_recorded_first_opens_the_earlier_cycle() {
        TestLedger t = TestLedger.registered("p", "2026-01-01");
        t.record(injection(t, "b", at("2026-03-02", 10)));
        t.record(injection(t, "a", at("2026-03-02", 10)));
        t.record(touchUp(t, "tu", at("2026-03-16", 10)));
        List<ClinicalEntry> effective = t.ledger().effective();
        Cycles cycles = Cycles.of(effective, ZoneOffset.UTC);

        assertThat(cycles.all()).extracting(c -> c.start().entryId()).containsExactly("b", "a");
        assertThat(cycles.numberOf(entry(effective, "b"))).isEqualTo(1);
        assertThat(cycles.numberOf(entry(effective, "a"))).isEqualTo(2);
        assertThat(cycles.numberOf(entry(effective, "tu"))).isEqualTo(2);
        // Each cycle holds its own start.
        assertThat(cycles.all().get(0).entries()).extracting(ClinicalEntry::entryId).containsExactly("b");
        assertThat(cycles.all().get(1).entries()).extracting(ClinicalEntry::entryId).containsExactly("a", "tu");
    }
}
