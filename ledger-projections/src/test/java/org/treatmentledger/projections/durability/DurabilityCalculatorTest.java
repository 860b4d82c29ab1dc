package org.treatmentledger.projections.durability;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.TestLedger;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class DurabilityCalculatorTest {

    private final DurabilityCalculator calculator = new DurabilityCalculator(ClinicPolicy.defaults());

    @Test
    void observed_duration_is_to_the_first_movement_return_else_the_next_start_and_open_cycles_do_not_count() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.movementReturn("2025-03-27"); // 80 days
        t.movementReturn("2025-04-01");
        t.inject("2025-04-06", DoseIntent.FULL, dose(Site.GLABELLA, 20)); // 90 days after the first
        t.inject("2025-07-15", DoseIntent.LIGHT, dose(Site.GLABELLA, 10)); // 100 days after the second
        List<CycleFact> facts = calculator.facts("p", t.ledger());
        assertThat(facts).extracting(CycleFact::cycle, CycleFact::durationDays, CycleFact::observedBy).containsExactly(
                tuple(1, 80, CycleFact.Observation.MOVEMENT_RETURN),
                tuple(2, 100, CycleFact.Observation.NEXT_CYCLE));
    }

    @Test
    void dose_band_uses_ona_equivalent_units_of_the_cycle_product_and_laser_co_treatment_any_session_in_the_cycle() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, Product.ABOBOTULINUMTOXIN_A, "D1", dose(Site.GLABELLA, 50));
        t.touchUp("2025-01-22", Product.ABOBOTULINUMTOXIN_A, "D1", dose(Site.FOREHEAD, 10)); // 60 U = 24 ona-eq
        t.laser("2025-02-01", LaserDeviceClass.BROADBAND_LIGHT, null, null, Zone.CHEEKS);
        t.inject("2025-05-06", DoseIntent.FULL, Product.PRABOTULINUMTOXIN_A, "J1", dose(Site.GLABELLA, 20));
        t.inject("2025-08-06", DoseIntent.FULL, dose(Site.GLABELLA, 20), dose(Site.FOREHEAD, 22), // 66 U
                dose(Site.CROWS_FEET_LEFT, 12), dose(Site.CROWS_FEET_RIGHT, 12));
        t.movementReturn("2025-11-01");
        List<CycleFact> facts = calculator.facts("p", t.ledger());
        assertThat(facts).extracting(CycleFact::doseBand, CycleFact::laserCoTreatment).containsExactly(
                tuple(DoseBand.MODERATE, true), tuple(DoseBand.NO_ESTABLISHED_RATIO, false),
                tuple(DoseBand.VERY_HIGH, false));
        assertThat(facts.get(0).sites()).containsExactly(Site.GLABELLA, Site.FOREHEAD);
        assertThat(DoseBand.of(new BigDecimal("20"))).isEqualTo(DoseBand.LOW);
        assertThat(DoseBand.of(new BigDecimal("40.5"))).isEqualTo(DoseBand.HIGH);
        assertThat(DoseBand.of(new BigDecimal("64"))).isEqualTo(DoseBand.HIGH);
    }

    private static CycleFact fact(String patient, int cycle, Product product, int days, Site... sites) {
        return new CycleFact(patient, cycle, product, DoseIntent.FULL, DoseBand.LOW, false, days,
                CycleFact.Observation.NEXT_CYCLE, List.of(sites));
    }

    @Test
    void groups_report_patients_cycles_and_interpolated_percentiles() {
        List<CycleFact> facts = new ArrayList<>();
        facts.add(fact("a", 1, Product.ONABOTULINUMTOXIN_A, 90, Site.GLABELLA));
        facts.add(fact("a", 2, Product.ONABOTULINUMTOXIN_A, 100, Site.GLABELLA, Site.FOREHEAD));
        facts.add(fact("b", 1, Product.ONABOTULINUMTOXIN_A, 110, Site.FOREHEAD));
        facts.add(fact("c", 1, Product.ONABOTULINUMTOXIN_A, 120, Site.GLABELLA));
        facts.add(fact("c", 2, Product.ABOBOTULINUMTOXIN_A, 150, Site.GLABELLA));

        DurabilityView byProduct = DurabilityCalculator.group(facts, List.of(DurabilityDimension.PRODUCT));
        assertThat(byProduct.groups()).extracting(DurabilityView.Group::product, DurabilityView.Group::patients,
                DurabilityView.Group::cycles, DurabilityView.Group::medianDays, DurabilityView.Group::p25Days,
                DurabilityView.Group::p75Days).containsExactly(
                tuple(Product.ONABOTULINUMTOXIN_A, 3, 4, 105.0, 97.5, 112.5),
                tuple(Product.ABOBOTULINUMTOXIN_A, 1, 1, 150.0, 150.0, 150.0));
        assertThat(byProduct.groups().get(0).site()).isNull();

        DurabilityView bySite = DurabilityCalculator.group(facts,
                List.of(DurabilityDimension.PRODUCT, DurabilityDimension.SITE));
        assertThat(bySite.groups()).extracting(DurabilityView.Group::product, DurabilityView.Group::site,
                DurabilityView.Group::patients, DurabilityView.Group::cycles, DurabilityView.Group::medianDays)
                .containsExactly(
                        tuple(Product.ONABOTULINUMTOXIN_A, Site.GLABELLA, 2, 3, 100.0),
                        tuple(Product.ONABOTULINUMTOXIN_A, Site.FOREHEAD, 2, 2, 105.0),
                        tuple(Product.ABOBOTULINUMTOXIN_A, Site.GLABELLA, 1, 1, 150.0));

        DurabilityView all = DurabilityCalculator.group(facts, List.of());
        assertThat(all.groups()).singleElement().satisfies(g -> {
            assertThat(g.patients()).isEqualTo(3);
            assertThat(g.cycles()).isEqualTo(5);
            assertThat(g.medianDays()).isEqualTo(110.0);
        });
    }

    @Test
    void grouping_by_intent_dose_band_and_laser_and_json_leaves_ungrouped_fields_out() throws Exception {
        List<CycleFact> facts = List.of(
                new CycleFact("a", 1, Product.ONABOTULINUMTOXIN_A, DoseIntent.LIGHT, DoseBand.LOW, true, 150,
                        CycleFact.Observation.MOVEMENT_RETURN, List.of(Site.GLABELLA)),
                new CycleFact("a", 2, Product.ONABOTULINUMTOXIN_A, DoseIntent.FULL, DoseBand.HIGH, false, 95,
                        CycleFact.Observation.MOVEMENT_RETURN, List.of(Site.GLABELLA)));
        DurabilityView view = DurabilityCalculator.group(facts, List.of(DurabilityDimension.INTENT,
                DurabilityDimension.DOSE_BAND, DurabilityDimension.LASER_CO_TREATMENT));
        assertThat(view.groups()).extracting(DurabilityView.Group::intent, DurabilityView.Group::doseBand,
                DurabilityView.Group::laserCoTreatment).containsExactly(
                tuple(DoseIntent.LIGHT, DoseBand.LOW, true), tuple(DoseIntent.FULL, DoseBand.HIGH, false));
        String json = LedgerJson.objectMapper().writeValueAsString(
                DurabilityCalculator.group(facts, List.of(DurabilityDimension.PRODUCT)));
        assertThat(json).contains("\"groups\":[{\"product\":\"ONABOTULINUMTOXIN_A\",\"patients\":1,\"cycles\":2,"
                + "\"medianDays\":122.5,\"p25Days\":108.8,\"p75Days\":136.3}]");
    }

    @Test
    void a_voided_movement_return_falls_back_to_the_next_start() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String mr = t.movementReturn("2025-03-27");
        t.inject("2025-04-06", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.voidEntry(mr, at("2025-04-07"));
        assertThat(calculator.facts("p", t.ledger())).extracting(CycleFact::durationDays).containsExactly(90);
    }
}
