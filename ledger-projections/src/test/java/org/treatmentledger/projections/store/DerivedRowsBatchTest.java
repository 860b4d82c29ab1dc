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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch of derived rows: stored events loaded once per patient, new ones added once, rows replaced at flush. */
class DerivedRowsBatchTest {

    private final List<Map<String, List<Integer>>> replaced = new ArrayList<>();
    private final List<String> loads = new ArrayList<>();

    private DerivedRowsBatch<Integer> batch(List<RecordedEvent> stored) {
        return new DerivedRowsBatch<>(patient -> {
            loads.add(patient);
            return stored;
        }, rows -> replaced.add(Map.copyOf(rows)));
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

        assertThat(loads).containsExactly("p-1");
        assertThat(replaced).containsExactly(Map.of("p-1", List.of(3)));
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
