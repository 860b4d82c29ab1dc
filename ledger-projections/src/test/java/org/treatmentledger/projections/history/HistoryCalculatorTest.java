package org.treatmentledger.projections.history;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.TestLedger;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.time.Instant;
import java.util.List;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class HistoryCalculatorTest {

    private final HistoryCalculator calculator = new HistoryCalculator();

    private HistoryView history(TestLedger t, Instant asOf) {
        return calculator.history(t.patient.value(), PatientLedger.asOf(t.events(), asOf), asOf);
    }

    @Test
    void entries_come_in_occurred_at_order_with_recorded_at_and_by() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        // charted late: happened before the injection, recorded after it
        String baseline = t.nextId();
        t.record(new PhotoCheckpointRecorded(t.patient, baseline, at("2025-01-09"),
                CheckpointKind.BASELINE, List.of()), at("2025-01-12"), "clinician");
        HistoryView view = history(t, null);
        assertThat(view.entries()).extracting(HistoryView.Entry::type).containsExactly(
                EntryType.REGISTRATION, EntryType.PHOTO_CHECKPOINT, EntryType.INJECTION);
        HistoryView.Entry photo = view.entries().get(1);
        assertThat(photo.entryId()).isEqualTo(baseline);
        assertThat(photo.recordedAt()).isEqualTo(at("2025-01-12"));
        assertThat(photo.recordedBy()).isEqualTo("clinician");
        assertThat(photo.voided()).isFalse();
        assertThat(photo.corrections()).isEmpty();
        HistoryView.Entry inj = view.entries().get(2);
        assertThat(inj.entryId()).isEqualTo(injection);
        assertThat(inj.details().get("product").asText()).isEqualTo("ONABOTULINUMTOXIN_A");
        assertThat(inj.details().get("sites").get(0).get("units").decimalValue()).isEqualByComparingTo("20");
        assertThat(inj.details().has("patientId")).isFalse();
    }

    @Test
    void an_amended_entry_shows_current_values_the_superseded_version_and_the_correction() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String amend = t.amend(injection, t.injection(injection, "2025-01-10", DoseIntent.FULL,
                Product.ONABOTULINUMTOXIN_A, "LOT-A", dose(Site.GLABELLA, 15)), at("2025-02-01"));
        HistoryView view = history(t, null);
        HistoryView.Entry inj = view.entries().stream().filter(e -> e.entryId().equals(injection)).findFirst().orElseThrow();
        assertThat(inj.details().get("sites").get(0).get("units").decimalValue()).isEqualByComparingTo("15");
        assertThat(inj.superseded()).singleElement().satisfies(v -> {
            assertThat(v.details().get("sites").get(0).get("units").decimalValue()).isEqualByComparingTo("20");
            assertThat(v.supersededBy()).isEqualTo(amend);
            assertThat(v.recordedAt()).isEqualTo(at("2025-01-10").plusSeconds(3600));
            assertThat(v.supersededAt()).isEqualTo(at("2025-02-01"));
        });
        assertThat(inj.corrections()).singleElement().satisfies(c -> {
            assertThat(c.entryId()).isEqualTo(amend);
            assertThat(c.action()).isEqualTo(CorrectionAction.AMEND);
            assertThat(c.reason()).isEqualTo("typo in units");
            assertThat(c.recordedBy()).isEqualTo("clinician");
            assertThat(c.recordedAt()).isEqualTo(at("2025-02-01"));
        });
        HistoryView.Entry correction = view.entries().get(view.entries().size() - 1);
        assertThat(correction.type()).isEqualTo(EntryType.CORRECTION);
        assertThat(correction.details().get("targetEntryId").asText()).isEqualTo(injection);
        assertThat(correction.details().get("action").asText()).isEqualTo("AMEND");
    }

    @Test
    void as_of_shows_exactly_what_had_been_recorded_then() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        t.amend(injection, t.injection(injection, "2025-01-10", DoseIntent.FULL,
                Product.ONABOTULINUMTOXIN_A, "LOT-A", dose(Site.GLABELLA, 15)), at("2025-02-01"));
        String touchUp = t.touchUp("2025-01-25", dose(Site.GLABELLA, 2)); // recorded 2025-01-25T11:00Z
        t.voidEntry(touchUp, at("2025-03-01"));

        HistoryView before = history(t, at("2025-01-20"));
        assertThat(before.asOf()).isEqualTo(at("2025-01-20"));
        assertThat(before.entries()).extracting(HistoryView.Entry::type)
                .containsExactly(EntryType.REGISTRATION, EntryType.INJECTION);
        HistoryView.Entry original = before.entries().get(1);
        assertThat(original.details().get("sites").get(0).get("units").decimalValue()).isEqualByComparingTo("20");
        assertThat(original.corrections()).isEmpty();
        assertThat(original.superseded()).isEmpty();

        HistoryView middle = history(t, at("2025-02-15"));
        assertThat(middle.entries()).extracting(HistoryView.Entry::type).containsExactly(EntryType.REGISTRATION,
                EntryType.INJECTION, EntryType.TOUCH_UP, EntryType.CORRECTION);
        assertThat(middle.entries().get(2).voided()).isFalse();

        HistoryView now = history(t, null);
        HistoryView.Entry voided = now.entries().stream().filter(e -> e.entryId().equals(touchUp)).findFirst().orElseThrow();
        assertThat(voided.voided()).isTrue();
        assertThat(voided.corrections()).extracting(HistoryView.Correction::action).containsExactly(CorrectionAction.VOID);
        assertThat(voided.details().get("sites").get(0).get("units").decimalValue()).isEqualByComparingTo("2");
    }

    @Test
    void overrides_appear_on_the_entry_they_allowed() {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String early = t.nextId();
        t.override(early, "2025-03-01", RuleCode.RETREATMENT_TOO_SOON);
        t.override(early, "2025-03-01", RuleCode.CUMULATIVE_DOSE_CAP);
        t.record(t.injection(early, "2025-03-01", DoseIntent.FULL, Product.ONABOTULINUMTOXIN_A, "LOT-A",
                dose(Site.GLABELLA, 20)));
        HistoryView view = history(t, null);
        assertThat(view.entries()).extracting(HistoryView.Entry::type).doesNotContain(EntryType.OVERRIDE);
        HistoryView.Entry entry = view.entries().get(view.entries().size() - 1);
        assertThat(entry.entryId()).isEqualTo(early);
        assertThat(entry.override().rule()).isEqualTo(RuleCode.RETREATMENT_TOO_SOON);
        assertThat(entry.override().reason()).isEqualTo("patient travelling");
        assertThat(entry.override().by()).isEqualTo("clinician");
        assertThat(entry.overrides()).extracting(HistoryView.Override::rule)
                .containsExactly(RuleCode.RETREATMENT_TOO_SOON, RuleCode.CUMULATIVE_DOSE_CAP);
        assertThat(view.entries().get(1).override()).isNull();
    }

    @Test
    void json_has_the_contract_shape() throws Exception {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20));
        String json = LedgerJson.objectMapper().writeValueAsString(history(t, null));
        assertThat(json).contains("\"entries\":[").contains("\"type\":\"INJECTION\"")
                .contains("\"occurredAt\":\"2025-01-10T10:00:00Z\"").contains("\"recordedBy\":\"injector\"")
                .contains("\"corrections\":[]").doesNotContain("\"override\"").doesNotContain("superseded");
    }
}
