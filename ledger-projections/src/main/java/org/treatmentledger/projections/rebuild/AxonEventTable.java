package org.treatmentledger.projections.rebuild;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.util.List;

/**
 * The one place in ledger-projections that names Axon's event table and its columns in SQL: what the bulk rebuild
 * reads from the JDBC event store (its head, the staging copy's {@code INSERT ... SELECT}, the gaps at the head, the
 * pages of events the derived rows are built from). The table's name comes from the service (Axon's default schema);
 * the column names are Axon's defaults, which the migrations create. ledger-api's own SQL on Axon's tables lives in
 * its {@code api.eventstore} package.
 */
final class AxonEventTable {

    private static final String SELECT_STORED = "SELECT aggregateidentifier, sequencenumber, payloadtype, payload, "
            + "timestamp, metadata FROM ";
    private static final RowMapper<StoredEvent> STORED_EVENT = (rs, i) -> new StoredEvent(rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getBytes(4), rs.getString(5), rs.getBytes(6));

    private final JdbcTemplate jdbc;
    private final String table;

    /** @param table the JDBC event store's table */
    AxonEventTable(JdbcTemplate jdbc, String table) {
        this.jdbc = jdbc;
        this.table = table;
    }

    /** The highest global index, null when the store is empty. */
    Long head() {
        return jdbc.queryForObject("SELECT max(globalindex) FROM " + table, Long.class);
    }

    /** The lowest global index, null when the store is empty. */
    Long first() {
        return jdbc.queryForObject("SELECT min(globalindex) FROM " + table, Long.class);
    }

    /** Events whose payload type is {@code className}. */
    Long countOfType(String className) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE payloadtype = ?", Long.class, className);
    }

    /**
     * Copies the events with a global index from {@code from} to {@code to} whose payload type is one of
     * {@code classNames} into {@code target}, the read side's event copy (or its staging table), each stored under
     * the matching one of {@code simpleNames}; payload bytes as stored, recordedBy out of the metadata. With
     * {@code skipCopied}, rows already there are kept (the table has its key). Returns the rows inserted.
     */
    int copyInto(String target, boolean skipCopied, String[] classNames, String[] simpleNames, long from, long to) {
        return jdbc.update("INSERT INTO " + target + " (patient_id, sequence_number, event_type, recorded_at, recorded_by, payload) "
                        + "SELECT e.aggregateidentifier, e.sequencenumber, t.simple_name, e.timestamp::timestamptz, "
                        + "convert_from(e.metadata, 'UTF8')::json ->> 'recordedBy', e.payload "
                        + "FROM " + table + " e JOIN unnest(?::text[], ?::text[]) AS t (class_name, simple_name) "
                        + "ON t.class_name = e.payloadtype "
                        + "WHERE e.globalindex BETWEEN ? AND ?"
                        + (skipCopied ? " ON CONFLICT (patient_id, sequence_number) DO NOTHING" : ""),
                classNames, simpleNames, from, to);
    }

    /** The global indexes from {@code from} to {@code to} that no event holds, in order. */
    List<Long> missingIndexes(long from, long to) {
        return jdbc.queryForList("SELECT g FROM generate_series(?::bigint, ?::bigint) g WHERE NOT EXISTS "
                + "(SELECT 1 FROM " + table + " e WHERE e.globalindex = g) ORDER BY g", Long.class, from, to);
    }

    /** The patient id at quantile {@code fraction} of the registered patients, in PostgreSQL's order of the ids. */
    String patientIdAt(double fraction) {
        return jdbc.queryForObject("SELECT percentile_disc(?) WITHIN GROUP (ORDER BY aggregateidentifier) FROM "
                + table + " WHERE sequencenumber = 0", String.class, fraction);
    }

    /**
     * At most {@code limit} events of the types {@code classNames} of the patients after {@code afterPatient} (and
     * up to {@code upToPatient}, if not null), in patient then sequence order.
     */
    List<StoredEvent> page(String afterPatient, String upToPatient, String[] classNames, int limit) {
        String upTo = upToPatient == null ? "" : " AND aggregateidentifier <= ?";
        Object[] args = upToPatient == null ? new Object[] {afterPatient, classNames, limit}
                : new Object[] {afterPatient, upToPatient, classNames, limit};
        return jdbc.query(SELECT_STORED + table + " WHERE aggregateidentifier > ?" + upTo
                + " AND payloadtype = ANY (?) ORDER BY aggregateidentifier, sequencenumber LIMIT ?", STORED_EVENT, args);
    }

    /** Every event of the types {@code classNames} of one patient, in sequence order. */
    List<StoredEvent> patient(String patientId, String[] classNames) {
        return jdbc.query(SELECT_STORED + table + " WHERE aggregateidentifier = ? "
                + "AND payloadtype = ANY (?) ORDER BY sequencenumber", STORED_EVENT, patientId, classNames);
    }
}
