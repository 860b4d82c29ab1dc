package org.treatmentledger.projections.units;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.TestLedger;

import java.math.BigDecimal;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class UnitHistoryCalculatorTest {

    private final UnitHistoryCalculator calculator = new UnitHistoryCalculator(ClinicPolicy.defaults());

    private UnitHistoryView view(TestLedger t, String today) {
        return calculator.unitHistory(t.ledger(), LocalDate.parse(today));
    }

    @Test
    void totals_are_per_product_and_site_and_never_summed_across_products() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20), dose(Site.FOREHEAD, 10));
        t.touchUp("2025-01-26", dose(Site.FOREHEAD, 2.5));
        t.inject("2025-05-10", DoseIntent.FULL, Product.ABOBOTULINUMTOXIN_A, "LOT-D", dose(Site.GLABELLA, 50));

        UnitHistoryView view = view(t, "2025-06-01");
        assertThat(view.lifetime()).extracting(r -> r.product(), r -> r.site(), r -> r.units())
                .containsExactly(
                        tuple(Product.ONABOTULINUMTOXIN_A, Site.GLABELLA, Units.of(20)),
                        tuple(Product.ONABOTULINUMTOXIN_A, Site.FOREHEAD, Units.of(12.5)),
                        tuple(Product.ABOBOTULINUMTOXIN_A, Site.GLABELLA, Units.of(50)));
        assertThat(view.lifetimeByProduct()).extracting(r -> r.product(), r -> r.units())
                .containsExactly(tuple(Product.ONABOTULINUMTOXIN_A, Units.of(32.5)),
                        tuple(Product.ABOBOTULINUMTOXIN_A, Units.of(50)));
        assertThat(view.byCycle()).extracting(r -> r.cycle(), r -> r.product(), r -> r.site(), r -> r.units())
                .containsExactly(
                        tuple(1, Product.ONABOTULINUMTOXIN_A, Site.GLABELLA, Units.of(20)),
                        tuple(1, Product.ONABOTULINUMTOXIN_A, Site.FOREHEAD, Units.of(12.5)),
                        tuple(2, Product.ABOBOTULINUMTOXIN_A, Site.GLABELLA, Units.of(50)));
    }

    @Test
    void rolling_window_is_the_90_days_ending_today() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-02", DoseIntent.FULL, dose(Site.GLABELLA, 20)); // d = 90 before 2025-04-02: outside
        t.inject("2025-01-03", DoseIntent.FULL, dose(Site.FOREHEAD, 10)); // d = 89: inside
        UnitHistoryView view = view(t, "2025-04-02");
        assertThat(view.rollingWindowStart()).isEqualTo(LocalDate.parse("2025-01-03"));
        assertThat(view.rollingWindowEnd()).isEqualTo(LocalDate.parse("2025-04-02"));
        assertThat(view.rolling90Days()).extracting(r -> r.site(), r -> r.units())
                .containsExactly(tuple(Site.FOREHEAD, Units.of(10)));
        assertThat(view.rolling90DaysByProduct()).singleElement()
                .satisfies(p -> {
                    assertThat(p.units()).isEqualTo(Units.of(10));
                    assertThat(p.cap()).isEqualTo(Units.of(400));
                });
        assertThat(view.lifetimeByProduct()).singleElement().extracting(p -> p.units()).isEqualTo(Units.of(30));
    }

    @Test
    void equivalent_units_name_the_ratio_and_products_without_one_get_none() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-10", DoseIntent.FULL, Product.ABOBOTULINUMTOXIN_A, "LOT-D", dose(Site.GLABELLA, 50));
        t.inject("2025-05-10", DoseIntent.FULL, Product.PRABOTULINUMTOXIN_A, "LOT-J", dose(Site.GLABELLA, 20));
        UnitHistoryView view = view(t, "2025-05-11");
        assertThat(view.onaEquivalents()).singleElement().satisfies(e -> {
            assertThat(e.product()).isEqualTo(Product.ABOBOTULINUMTOXIN_A);
            assertThat(e.ratio()).isEqualByComparingTo(new BigDecimal("2.5"));
            assertThat(e.ratioSource()).isEqualTo("ClinicPolicy.onaEquivalentRatio");
            assertThat(e.lifetimeOnaEquivalentUnits()).isEqualTo(Units.of(20));
            assertThat(e.rolling90DaysUnits()).isEqualTo(Units.ZERO);
        });
    }

    @Test
    void a_voided_entry_leaves_the_totals_and_an_amended_one_counts_with_its_replacement() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String first = t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String touchUp = t.touchUp("2025-01-26", dose(Site.GLABELLA, 4));
        t.voidEntry(touchUp, at("2025-01-27"));
        t.amend(first, t.injection(first, "2025-01-10", DoseIntent.FULL, Product.ONABOTULINUMTOXIN_A, "LOT-A",
                dose(Site.GLABELLA, 18), dose(Site.FOREHEAD, 8)), at("2025-01-28"));
        UnitHistoryView view = view(t, "2025-02-01");
        assertThat(view.lifetime()).extracting(r -> r.site(), r -> r.units())
                .containsExactly(tuple(Site.GLABELLA, Units.of(18)), tuple(Site.FOREHEAD, Units.of(8)));
        assertThat(view.rolling90DaysByProduct()).singleElement().extracting(p -> p.units()).isEqualTo(Units.of(26));
    }
}
