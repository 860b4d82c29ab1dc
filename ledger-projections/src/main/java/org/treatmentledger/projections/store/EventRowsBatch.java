package org.treatmentledger.projections.store;


import java.util.ArrayList;
import java.util.List;

/** A batch's new rows for one read-model event table, inserted with one JDBC batch. */
public final class EventRowsBatch implements BatchScope.Batch {

    private final PatientEventTable table;
    private final List<PatientEventTable.Row> rows = new ArrayList<>();

    public EventRowsBatch(PatientEventTable table) {
        this.table = table;
    }

    public void add(PatientEventTable.Row row) {
        rows.add(row);
    }

    @Override
    public void flush() {
        table.appendAll(rows);
        rows.clear();
    }
}
