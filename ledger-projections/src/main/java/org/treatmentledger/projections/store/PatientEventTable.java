package org.treatmentledger.projections.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side's one copy of the patient events ({@code ledger_event}), keyed by (patient, aggregate sequence
 * number): a redelivered event hits the key and changes nothing, so handlers are idempotent. History writes it;
 * every read model reads the events it needs from it, and the per-patient views are derived from those rows by
 * the pure calculators when queried, because their statuses and rolling windows depend on today's date anyway.
 */
public final class PatientEventTable {

    private static final String TABLE = "ledger_event";

    private final JdbcTemplate jdbc;
    private final EventCodec codec;

    /** {@code codec}: how the stored payloads are read (their personal fields decrypted, or null once erased). */
    public PatientEventTable(JdbcTemplate jdbc, EventCodec codec) {
        this.jdbc = jdbc;
        this.codec = codec;
    }

    private static final String COLUMNS = " (patient_id, sequence_number, event_type, recorded_at, recorded_by, payload)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id, sequence_number) DO NOTHING";

    /**
     * One stored event: its patient, aggregate sequence number, type (simple class name), recordedAt, recordedBy
     * and payload (the event's JSON as the event store holds it).
     */
    public record Row(String patientId, long sequence, String eventType, Instant recordedAt, String recordedBy,
                      byte[] payload) { }

    /** Stores the rows in one JDBC batch; those whose (patient, sequence number) is already there are skipped. */
    public void appendAll(List<Row> rows) {
        if (rows.isEmpty()) return;
        List<Object[]> values = new ArrayList<>(rows.size());
        for (Row r : rows) {
            values.add(new Object[] {r.patientId(), r.sequence(), r.eventType(), Timestamp.from(r.recordedAt()),
                    r.recordedBy(), r.payload()});
        }
        jdbc.batchUpdate("INSERT INTO " + TABLE + COLUMNS, values);
    }

    /** The patient's events of the given types (simple class names), in stream order; only those are decoded. */
    public List<RecordedEvent> load(String patientId, Collection<String> eventTypes) {
        return byPatient("patient_id = ? AND event_type = ANY (?)", patientId, eventTypes.toArray(String[]::new))
                .getOrDefault(patientId, new ArrayList<>());
    }

    /** The events of the given types of these patients, each patient's in stream order; one query for all of them. */
    public Map<String, List<RecordedEvent>> loadAll(Collection<String> patientIds, Collection<String> eventTypes) {
        if (patientIds.isEmpty()) return new HashMap<>();
        return byPatient("patient_id = ANY (?) AND event_type = ANY (?)", patientIds.toArray(String[]::new),
                eventTypes.toArray(String[]::new));
    }

    /** Every patient's registration (e.g. to select a clinic's patients), by patient id. */
    public Map<String, PatientRegistered> registrations() {
        Map<String, PatientRegistered> registrations = new HashMap<>();
        byPatient("event_type = ?", PatientRegistered.class.getSimpleName()).forEach((patient, events) ->
                registrations.put(patient, (PatientRegistered) events.get(0).event()));
        return registrations;
    }

    /** All of the patient's events, in stream order. */
    public List<RecordedEvent> load(String patientId) {
        return byPatient("patient_id = ?", patientId).getOrDefault(patientId, new ArrayList<>());
    }

    private Map<String, List<RecordedEvent>> byPatient(String condition, Object... args) {
        Map<String, List<RecordedEvent>> byPatient = new HashMap<>();
        jdbc.query("SELECT patient_id, sequence_number, event_type, payload, recorded_at, recorded_by FROM " + TABLE
                        + " WHERE " + condition + " ORDER BY patient_id, sequence_number",
                rs -> {
                    byPatient.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new RecordedEvent(rs.getLong(2),
                            codec.fromJson(rs.getString(3), rs.getBytes(4)), rs.getTimestamp(5).toInstant(), rs.getString(6)));
                },
                args);
        return byPatient;
    }

    /**
     * Whether every event of the patient's stream from 0 to {@code sequenceNumber} is here: how far every read model
     * of the patient has followed its stream (they all commit with these rows, in one processor transaction).
     * Counted, not just the highest number: an event the processor skipped (a gap it gave up on) must show as
     * missing, not hide behind a later one.
     */
    public boolean holdsStreamUpTo(String patientId, long sequenceNumber) {
        Long present = jdbc.queryForObject("SELECT count(*) FROM " + TABLE
                + " WHERE patient_id = ? AND sequence_number <= ?", Long.class, patientId, sequenceNumber);
        return present != null && present == sequenceNumber + 1;
    }

    public boolean isKnown(String patientId) {
        Boolean known = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM " + TABLE
                + " WHERE patient_id = ? AND event_type = ?)", Boolean.class, patientId,
                PatientRegistered.class.getSimpleName());
        return Boolean.TRUE.equals(known);
    }

    /** Empties the table before a replay. TRUNCATE, not DELETE: a million dead rows would slow the rebuild. */
    public void clear() {
        jdbc.execute("TRUNCATE " + TABLE);
    }
}
