package org.treatmentledger.projections.store;

import org.treatmentledger.projections.ledger.RecordedEvent;

import java.util.ArrayList;
import java.util.List;

/** A batch's new rows for one read-model event table, inserted with one JDBC batch. */
public final class EventRowsBatch implements BatchScope.Batch {

    private final PatientEventTable table;
    private final List<RecordedEvent> rows = new ArrayList<>();

    public EventRowsBatch(PatientEventTable table) {
        this.table = table;
    }

    public void add(RecordedEvent event) {
        rows.add(event);
    }

    @Override
    public void flush() {
        table.appendAll(rows);
        rows.clear();
    }
}
