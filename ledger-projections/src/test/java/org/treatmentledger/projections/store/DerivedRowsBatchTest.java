package org.treatmentledger.projections.store;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.projections.TestLedger;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch of derived rows: stored events loaded once per patient, new ones added once, rows replaced at flush. */
class DerivedRowsBatchTest {

    private final List<Map<String, List<Integer>>> replaced = new ArrayList<>();
    private final List<List<String>> loads = new ArrayList<>();

    private DerivedRowsBatch<Integer> batch(List<RecordedEvent> stored) {
        return batch(stored, List.of());
    }

    /** {@code stored}: what the table holds (any patients); {@code inBatch}: the patients of the batch's events. */
    private DerivedRowsBatch<Integer> batch(List<RecordedEvent> stored, List<String> inBatch) {
        return new DerivedRowsBatch<>(patients -> {
            loads.add(List.copyOf(patients));
            Map<String, List<RecordedEvent>> found = new HashMap<>();
            for (RecordedEvent e : stored) {
                String id = e.event().patientId().value();
                if (patients.contains(id)) found.computeIfAbsent(id, k -> new ArrayList<>()).add(e);
            }
            return found;
        }, () -> inBatch, rows -> replaced.add(Map.copyOf(rows)));
    }

    /** The derived "row" is the number of events in the patient's ledger. */
    private static List<Integer> count(PatientLedger ledger) {
        return List.of(ledger.events().size());
    }

    @Test
    void stored_events_are_loaded_once_per_patient_and_new_ones_counted_once() {
        TestLedger t = TestLedger.registered("p-1", "2026-01-01");
        t.inject("2026-01-05", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 10));
        t.touchUp("2026-01-20", TestLedger.dose(Site.GLABELLA, 2));
        List<RecordedEvent> all = t.events();
        DerivedRowsBatch<Integer> batch = batch(all.subList(0, 1));

        batch.record(all.get(1), DerivedRowsBatchTest::count);
        batch.record(all.get(2), DerivedRowsBatchTest::count);
        batch.record(all.get(2), DerivedRowsBatchTest::count); // redelivered within the batch
        batch.flush();

        assertThat(loads).containsExactly(List.of("p-1"));
        assertThat(replaced).containsExactly(Map.of("p-1", List.of(3)));
    }

    @Test
    void the_batchs_patients_are_loaded_in_one_query_when_the_first_is_needed() {
        TestLedger a = TestLedger.registered("p-a", "2026-01-01");
        a.inject("2026-01-05", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 10));
        TestLedger b = TestLedger.registered("p-b", "2026-01-01");
        b.inject("2026-01-06", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 12));
        TestLedger c = TestLedger.registered("p-c", "2026-01-01");
        c.inject("2026-01-07", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 14));
        List<RecordedEvent> stored = new ArrayList<>();
        stored.add(a.events().get(0));
        stored.add(b.events().get(0));
        stored.add(c.events().get(0));
        DerivedRowsBatch<Integer> batch = batch(stored, List.of("p-a", "p-b"));

        batch.record(a.events().get(1), DerivedRowsBatchTest::count);
        batch.record(b.events().get(1), DerivedRowsBatchTest::count);
        batch.record(c.events().get(1), DerivedRowsBatchTest::count); // not announced: loaded on its own
        batch.flush();

        assertThat(loads).containsExactly(List.of("p-a", "p-b"), List.of("p-c"));
        assertThat(replaced).containsExactly(Map.of("p-a", List.of(2), "p-b", List.of(2), "p-c", List.of(2)));
    }

    @Test
    void an_event_already_stored_still_derives_the_rows() {
        // A dead letter retried later: history stored the event meanwhile; the rows must follow it anyway.
        TestLedger t = TestLedger.registered("p-2", "2026-01-01");
        t.inject("2026-01-05", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 10));
        DerivedRowsBatch<Integer> batch = batch(t.events());

        batch.record(t.events().get(1), DerivedRowsBatchTest::count);
        batch.flush();

        assertThat(replaced).containsExactly(Map.of("p-2", List.of(2)));
    }

    @Test
    void a_failing_derivation_leaves_nothing_of_the_event() {
        TestLedger t = TestLedger.registered("p-3", "2026-01-01");
        t.inject("2026-01-05", DoseIntent.LIGHT, TestLedger.dose(Site.GLABELLA, 10));
        DerivedRowsBatch<Integer> batch = batch(t.events().subList(0, 1));

        assertThatThrownBy(() -> batch.record(t.events().get(1), ledger -> {
            throw new IllegalStateException("poison");
        })).isInstanceOf(IllegalStateException.class);
        batch.flush();

        assertThat(replaced).isEmpty();
    }
}
