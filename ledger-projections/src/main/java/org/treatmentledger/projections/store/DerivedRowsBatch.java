package org.treatmentledger.projections.store;

import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A batch's work for a read model that keeps rows derived per patient (durability cycles, lot administrations):
 * each patient's stored events (history's {@code ledger_event} rows, which history's handler writes in the same
 * batch) are loaded once per batch, the new events are added in memory, the patient's rows are derived again
 * after each event, and at the end of the batch each touched patient's rows are replaced, in two statements
 * instead of several per event.
 */
public final class DerivedRowsBatch<R> implements BatchScope.Batch {

    /** Replaces the derived rows of the given patients (delete theirs, insert these). */
    public interface DerivedRowsTable<R> {
        void replace(Map<String, List<R>> rowsByPatient);
    }

    private final Function<Collection<String>, Map<String, List<RecordedEvent>>> storedEvents;
    private final Supplier<Collection<String>> batchPatients;
    private boolean prefetched;
    private final DerivedRowsTable<R> derivedTable;
    private final Map<String, TreeMap<Long, RecordedEvent>> ledgers = new HashMap<>();
    private final Map<String, List<R>> derived = new LinkedHashMap<>();

    /**
     * {@code storedEvents}: patients' events as stored before this batch, those the read model needs, in one query;
     * {@code batchPatients}: the patients of the batch's events, loaded together when the first one is needed.
     */
    public DerivedRowsBatch(Function<Collection<String>, Map<String, List<RecordedEvent>>> storedEvents,
                            Supplier<Collection<String>> batchPatients, DerivedRowsTable<R> derivedTable) {
        this.storedEvents = storedEvents;
        this.batchPatients = batchPatients;
        this.derivedTable = derivedTable;
    }

    /**
     * Adds the event (a redelivered one is already there: nothing is added twice) and derives the patient's rows
     * from its whole corrected ledger. Deriving again for a redelivery changes nothing, and it matters for a
     * dead letter retried later: history has stored the event meanwhile, and the rows must still follow it.
     * If {@code derive} throws, nothing of this event is kept.
     */
    public void record(RecordedEvent recorded, Function<PatientLedger, List<R>> derive) {
        PatientEvent event = recorded.event();
        String patientId = event.patientId().value();
        TreeMap<Long, RecordedEvent> ledger = ledgers.get(patientId);
        if (ledger == null) {
            // The first patient of the batch brings every patient of the batch: one query instead of one each.
            Set<String> load = new LinkedHashSet<>();
            load.add(patientId);
            if (!prefetched) load.addAll(batchPatients.get());
            prefetched = true;
            load.removeAll(ledgers.keySet());
            Map<String, List<RecordedEvent>> stored = storedEvents.apply(load);
            for (String id : load) {
                TreeMap<Long, RecordedEvent> events = new TreeMap<>();
                for (RecordedEvent e : stored.getOrDefault(id, List.of())) events.put(e.sequence(), e);
                ledgers.put(id, events);
            }
            ledger = ledgers.get(patientId);
        }
        boolean added = ledger.putIfAbsent(recorded.sequence(), recorded) == null;
        List<R> rows;
        try {
            rows = derive.apply(PatientLedger.of(ledger.values()));
        } catch (RuntimeException e) {
            if (added) ledger.remove(recorded.sequence());
            throw e;
        }
        derived.put(patientId, rows);
    }

    @Override
    public void flush() {
        if (!derived.isEmpty()) derivedTable.replace(derived);
        derived.clear();
        ledgers.clear();
        prefetched = false;
    }
}
