package org.treatmentledger.projections.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read model that keeps rows derived per patient for cross-patient queries (durability cycles, lot
 * administrations): whenever one of the events its {@link ReadModelEvents} names arrives, the patient's rows are
 * derived again from its stored events (history's {@code ledger_event}) and replaced, once per processor batch
 * ({@link DerivedRowsBatch}). Subclasses derive the rows and say how a row is stored; they declare the
 * {@code @EventHandler} themselves (an override calling {@link #on}) so that {@link ReadModelEventsFilter} sees
 * it on their own class.
 */
public abstract class DerivedRowsProjection<R> {

    protected static final ObjectMapper JSON = LedgerJson.objectMapper();

    protected final JdbcTemplate jdbc;
    private final PatientEventTable events;
    private final String table;

    /** {@code table}: the derived rows' table, with a {@code patient_id} column. */
    protected DerivedRowsProjection(JdbcTemplate jdbc, EventCodec codec, String table) {
        this.jdbc = jdbc;
        this.events = new PatientEventTable(jdbc, codec);
        this.table = table;
    }

    /** The patient's rows, from its corrected ledger (its events of the declared types). */
    protected abstract List<R> derive(String patientId, PatientLedger ledger);

    /** The table's columns that {@link #values} fills, in that order. */
    protected abstract List<String> columns();

    /** One row's values (null, String, Number, Boolean or Instant: see {@link CopyRows}). */
    protected abstract Object[] values(String patientId, R row);

    /** Takes a declared event into the patient's rows; ignores the others (when called directly). */
    public void on(PatientEvent event, Long sequence, Instant recordedAt, String recordedBy) {
        if (!ReadModelEvents.Of.readModelNeeds(getClass(), event.getClass())) return;
        RecordedEvent recorded = RecordedEvents.of(event, sequence, recordedAt, recordedBy);
        String patientId = event.patientId().value();
        BatchScope.with(getClass().getName(), () -> new DerivedRowsBatch<>(this::storedEvents, BatchScope::aggregatesInBatch, this::replace),
                batch -> batch.record(recorded, ledger -> derive(patientId, ledger)));
    }

    /** The stored type names ({@code event_type}) of the events the rows are derived from. */
    public Set<String> eventTypes() {
        return ReadModelEvents.Of.typeNamesOf(getClass());
    }

    /**
     * Derives the rows of these patients from their stored events and replaces theirs: the bulk rebuild
     * ({@code rebuild.BulkRebuild}) calls this once per page of patients instead of once per event. Events of
     * types the read model does not declare are ignored, as its handler ignores them.
     */
    public void deriveAndReplace(Map<String, List<RecordedEvent>> eventsByPatient) {
        replace(deriveAll(eventsByPatient));
    }

    /**
     * Like {@link #deriveAndReplace}, for the bulk rebuild right after the reset emptied the table: these patients
     * have no rows yet, so none are deleted first (one index probe per patient saved). Should a row exist anyway,
     * the insert fails on the table's primary key, and the rebuild with it, which then replays event by event.
     */
    public void deriveIntoEmptied(Map<String, List<RecordedEvent>> eventsByPatient) {
        insert(deriveAll(eventsByPatient));
    }

    private Map<String, List<R>> deriveAll(Map<String, List<RecordedEvent>> eventsByPatient) {
        Set<String> types = eventTypes();
        Map<String, List<R>> rows = new LinkedHashMap<>();
        eventsByPatient.forEach((patientId, events) -> rows.put(patientId, derive(patientId, PatientLedger.of(
                events.stream().filter(e -> types.contains(EventCodec.typeName(e.event()))).toList()))));
        return rows;
    }

    @ResetHandler
    public void reset() {
        jdbc.execute("TRUNCATE " + table);
    }

    private Map<String, List<RecordedEvent>> storedEvents(Collection<String> patientIds) {
        return events.loadAll(patientIds, ReadModelEvents.Of.typeNamesOf(getClass()));
    }

    private void replace(Map<String, List<R>> rowsByPatient) {
        jdbc.update("DELETE FROM " + table + " WHERE patient_id = ANY (?)",
                (Object) rowsByPatient.keySet().toArray(String[]::new));
        insert(rowsByPatient);
    }

    private void insert(Map<String, List<R>> rowsByPatient) {
        CopyRows copy = new CopyRows();
        rowsByPatient.forEach((patientId, rows) -> rows.forEach(row -> copy.add(values(patientId, row))));
        copy.copyInto(jdbc, table, columns());
    }

    protected static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
