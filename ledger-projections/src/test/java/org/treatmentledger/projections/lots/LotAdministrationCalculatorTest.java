package org.treatmentledger.projections.lots;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.projections.TestLedger;

import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class LotAdministrationCalculatorTest {

    private final LotAdministrationCalculator calculator = new LotAdministrationCalculator(ZoneOffset.UTC);

    @Test
    void every_injection_and_touch_up_names_its_lot_with_total_units() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-06", DoseIntent.FULL, Product.ONABOTULINUMTOXIN_A, "L-1",
                dose(Site.GLABELLA, 20), dose(Site.FOREHEAD, 10));
        String touchUp = t.touchUp("2025-01-22", Product.ONABOTULINUMTOXIN_A, " L-2 ", dose(Site.FOREHEAD, 2));
        List<LotAdministrationCalculator.LotAdministration> rows = calculator.administrations("p", t.ledger());
        assertThat(rows).extracting(r -> r.lotNumber(), r -> r.administration().entryId(),
                r -> r.administration().units(), r -> r.administration().entryType(), r -> r.administration().cycle())
                .containsExactly(tuple("L-1", injection, Units.of(30), EntryType.INJECTION, 1),
                        tuple("L-2", touchUp, Units.of(2), EntryType.TOUCH_UP, 1));
        assertThat(rows.get(0).administration().occurredAt()).isEqualTo(at("2025-01-06"));
        assertThat(rows.get(0).administration().patientId()).isEqualTo("p");
    }

    @Test
    void a_voided_administration_leaves_the_recall_and_an_amended_lot_moves_it() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-06", DoseIntent.FULL, Product.ONABOTULINUMTOXIN_A, "L-1",
                dose(Site.GLABELLA, 20));
        String touchUp = t.touchUp("2025-01-22", Product.ONABOTULINUMTOXIN_A, "L-1", dose(Site.FOREHEAD, 2));
        t.voidEntry(touchUp, at("2025-01-23"));
        t.amend(injection, t.injection(injection, "2025-01-06", DoseIntent.FULL, Product.ONABOTULINUMTOXIN_A,
                "L-9", dose(Site.GLABELLA, 18)), at("2025-01-24"));
        assertThat(calculator.administrations("p", t.ledger()))
                .extracting(r -> r.lotNumber(), r -> r.administration().units())
                .containsExactly(tuple("L-9", Units.of(18)));
    }
}
