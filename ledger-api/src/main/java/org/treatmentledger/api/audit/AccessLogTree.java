package org.treatmentledger.api.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.integrity.MerkleLog;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access log's tree in PostgreSQL (V35): its leaves ({@code access_leaf}), and, through {@link MerkleLog}, its
 * nodes and checkpoints. Only ever INSERTs. Records are read from {@code access_log} as stored, so a record changed
 * after sealing no longer matches its leaf.
 */
class AccessLogTree {

    /** The sequence of access_log.id (BIGSERIAL: cache 1, as {@code SealHorizon} needs). */
    static final String LAST_ID_DRAWN = "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM access_log_id_seq";
    /** The other sessions inserting into access_log right now (the RowExclusiveLock an INSERT holds until it ends). */
    static final String WRITING = "SELECT virtualtransaction FROM pg_locks WHERE locktype = 'relation' "
            + "AND relation = 'access_log'::regclass AND mode = 'RowExclusiveLock' AND granted "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND pid <> pg_backend_pid()";

    static final String RECORD_COLUMNS = "a.id, a.at, a.user_name, a.role, a.clinic_id, a.caller_clinics, a.patient_id, "
            + "a.action, a.resource, a.status, a.purpose";

    /** One access record as stored, with {@code at} as the text its leaf commits to. */
    record Stored(long id, String at, String user, String role, String clinic, List<String> callerClinics,
                  String patientId, String action, String resource, int status, String purpose) {
        /** The chain a record belongs to: its patient's, or the one of records without a patient. */
        String patientKey() {
            return patientId == null ? "" : patientId;
        }
    }

    record Leaf(long leafIndex, long recordId, String patientKey, long patientSequence, byte[] leaf, byte[] leafHash) { }

    /** A patient's (or chain's) last sealed record: the next one's position and previous-leaf value. */
    record ChainTip(long sequence, byte[] leafHash) { }

    record Tip(long size, long lastRecordId) { }

    private final JdbcTemplate jdbc;
    private final MerkleLog log;

    AccessLogTree(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.log = new MerkleLog(jdbc, "access");
    }

    MerkleLog log() {
        return log;
    }

    /** The stored record of a row: {@code at} as ISO-8601 UTC (java.time.Instant's text), microseconds as stored. */
    static Stored record(ResultSet rs, int first) throws SQLException {
        if (rs.getObject(first) == null) return null;
        Array clinics = rs.getArray(first + 5);
        return new Stored(rs.getLong(first), rs.getObject(first + 1, OffsetDateTime.class).toInstant().toString(),
                rs.getString(first + 2), rs.getString(first + 3), rs.getString(first + 4),
                clinics == null ? List.of() : Arrays.asList((String[]) clinics.getArray()), rs.getString(first + 6),
                rs.getString(first + 7), rs.getString(first + 8), rs.getInt(first + 9), rs.getString(first + 10));
    }

    Tip tip() {
        List<Tip> tip = jdbc.query("SELECT leaf_index, record_id FROM access_leaf ORDER BY leaf_index DESC LIMIT 1",
                (rs, n) -> new Tip(rs.getLong(1) + 1, rs.getLong(2)));
        return tip.isEmpty() ? new Tip(0, 0) : tip.get(0);
    }

    /** Records with an id in (after, upTo], in id order, at most {@code limit}. */
    List<Stored> recordsBetween(long after, long upTo, int limit) {
        return jdbc.query("SELECT " + RECORD_COLUMNS + " FROM access_log a WHERE a.id > ? AND a.id <= ? ORDER BY a.id LIMIT ?",
                (rs, n) -> record(rs, 1), after, upTo, limit);
    }

    Map<String, ChainTip> chainTips(List<String> patientKeys) {
        Map<String, ChainTip> tips = new HashMap<>();
        if (patientKeys.isEmpty()) return tips;
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT DISTINCT ON (patient_key) patient_key, patient_sequence, leaf_hash "
                    + "FROM access_leaf WHERE patient_key = ANY (?) ORDER BY patient_key, patient_sequence DESC");
            ps.setArray(1, con.createArrayOf("text", patientKeys.toArray()));
            return ps;
        }, rs -> {
            tips.put(rs.getString(1), new ChainTip(rs.getLong(2), rs.getBytes(3)));
        });
        return tips;
    }

    void insertLeaves(List<Leaf> leaves) {
        if (leaves.isEmpty()) return;
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO access_leaf (leaf_index, record_id, patient_key, patient_sequence, "
                    + "leaf, leaf_hash) SELECT * FROM unnest(?::int8[], ?::int8[], ?::text[], ?::int8[], ?::bytea[], ?::bytea[])");
            ps.setArray(1, con.createArrayOf("int8", leaves.stream().map(Leaf::leafIndex).toArray(Long[]::new)));
            ps.setArray(2, con.createArrayOf("int8", leaves.stream().map(Leaf::recordId).toArray(Long[]::new)));
            ps.setArray(3, con.createArrayOf("text", leaves.stream().map(Leaf::patientKey).toArray(String[]::new)));
            ps.setArray(4, con.createArrayOf("int8", leaves.stream().map(Leaf::patientSequence).toArray(Long[]::new)));
            ps.setArray(5, con.createArrayOf("bytea", leaves.stream().map(Leaf::leaf).toArray(byte[][]::new)));
            ps.setArray(6, con.createArrayOf("bytea", leaves.stream().map(Leaf::leafHash).toArray(byte[][]::new)));
            return ps;
        });
    }

    /** The leaf index of a record, if it is sealed. */
    Optional<Long> leafIndexOf(long recordId) {
        return jdbc.query("SELECT leaf_index FROM access_leaf WHERE record_id = ?", (rs, n) -> rs.getLong(1), recordId)
                .stream().findFirst();
    }

    /** A record the caller's auditors may see: of a patient of their clinics, or asked for by a user of their clinics. */
    Optional<Stored> visibleRecord(long id, java.util.Set<String> clinics) {
        String[] c = clinics.toArray(String[]::new);
        return jdbc.query("SELECT " + RECORD_COLUMNS + " FROM access_log a WHERE a.id = ? "
                + "AND (a.clinic_id = ANY (?) OR a.caller_clinics && ?::text[])", (rs, n) -> record(rs, 1), id, c, c)
                .stream().findFirst();
    }

    /** The newest record of a patient, if any. */
    Optional<Long> lastRecordOf(String patientId) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT max(id) FROM access_log WHERE patient_id = ?", Long.class,
                patientId));
    }

    /** A sealed leaf and the stored record it was made from (null if the row is gone). */
    record Sealed(Leaf leaf, Stored record) { }

    /** The patient's leaves inside the first {@code treeSize} leaves, in chain order, with their stored records. */
    List<Sealed> patientLeaves(String patientId, long treeSize) {
        return jdbc.query("SELECT l.leaf_index, l.record_id, l.patient_key, l.patient_sequence, l.leaf, l.leaf_hash, "
                + RECORD_COLUMNS + " FROM access_leaf l LEFT JOIN access_log a ON a.id = l.record_id "
                + "WHERE l.patient_key = ? AND l.leaf_index < ? ORDER BY l.patient_sequence", AccessLogTree::sealed,
                patientId, treeSize);
    }

    /** One record's leaf and row, if the record is sealed inside the first {@code treeSize} leaves. */
    Optional<Sealed> recordLeaf(long recordId, long treeSize) {
        return jdbc.query("SELECT l.leaf_index, l.record_id, l.patient_key, l.patient_sequence, l.leaf, l.leaf_hash, "
                + RECORD_COLUMNS + " FROM access_leaf l LEFT JOIN access_log a ON a.id = l.record_id "
                + "WHERE l.record_id = ? AND l.leaf_index < ?", AccessLogTree::sealed, recordId, treeSize)
                .stream().findFirst();
    }

    private static Sealed sealed(ResultSet rs, int n) throws SQLException {
        return new Sealed(new Leaf(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getBytes(5),
                rs.getBytes(6)), record(rs, 7));
    }
}
