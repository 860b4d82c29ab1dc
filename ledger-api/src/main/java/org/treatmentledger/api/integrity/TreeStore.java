package org.treatmentledger.api.integrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.EventTableSql;
import org.treatmentledger.verify.merkle.NodeId;
import org.treatmentledger.verify.merkle.NodeSource;
import org.treatmentledger.verify.merkle.StoredNode;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The log's tables (V12__ledger_integrity.sql): leaves, tree nodes, checkpoints. Only ever INSERTs. */
public class TreeStore implements NodeSource {

    /** One stored event as the leaf commits to it (the event table's columns, {@link EventTableSql#eventColumns()}). */
    public record StoredEvent(long globalIndex, String patientId, long sequenceNumber, String type, byte[] payload,
                              byte[] metadata, String timestamp) {
        /** A NULL metadata column counts as zero bytes (docs/INTEGRITY.md). */
        public byte[] metadataBytes() {
            return metadata == null ? new byte[0] : metadata;
        }
    }

    public record Leaf(long leafIndex, long globalIndex, String patientId, long sequenceNumber, byte[] leaf,
                       byte[] leafHash) { }

    public record CheckpointRow(long treeSize, byte[] rootHash, String origin, String note, String keyId,
                                byte[] publicKey, Instant issuedAt) { }

    /**
     * The tree's size, and the global index (position), patient and sequence number of its last leaf (0, null and -1
     * for an empty tree).
     */
    public record Tip(long size, long lastGlobalIndex, String lastPatientId, long lastSequenceNumber) { }

    private final JdbcTemplate jdbc;
    private final MerkleLog log;

    public TreeStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.log = new MerkleLog(jdbc, "ledger");
    }

    public Tip tip() {
        List<Tip> tip = jdbc.query("SELECT leaf_index, global_index, patient_id, sequence_number FROM ledger_leaf "
                        + "ORDER BY leaf_index DESC LIMIT 1",
                (rs, n) -> new Tip(rs.getLong(1) + 1, rs.getLong(2), rs.getString(3), rs.getLong(4)));
        return tip.isEmpty() ? new Tip(0, 0, null, -1) : tip.get(0);
    }

    /** Events with a global index in (after, upTo], in global-index order, at most {@code limit}. */
    public List<StoredEvent> eventsBetween(long after, long upTo, int limit) {
        return jdbc.query(EventTableSql.eventsBetween(), (rs, n) -> event(rs), after, upTo, limit);
    }

    static StoredEvent event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getBytes(5),
                rs.getBytes(6), rs.getString(7));
    }

    /** Each patient's last sealed leaf hash (the previous-leaf value of its next leaf). */
    public Map<String, byte[]> lastLeafHashes(List<String> patients) {
        Map<String, byte[]> last = new HashMap<>();
        if (patients.isEmpty()) return last;
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT DISTINCT ON (patient_id) patient_id, leaf_hash FROM ledger_leaf "
                    + "WHERE patient_id = ANY (?) ORDER BY patient_id, sequence_number DESC");
            Array array = con.createArrayOf("varchar", patients.toArray());
            ps.setArray(1, array);
            return ps;
        }, rs -> {
            last.put(rs.getString(1), rs.getBytes(2));
        });
        return last;
    }

    /**
     * One statement per table for a whole round: the rows travel as arrays and {@code unnest} turns them back into
     * rows, which costs PostgreSQL one parse, plan and executor start instead of one per row (a batch of single-row
     * INSERTs). The sealer runs beside the commands on the same cores, so its per-row cost is theirs too.
     */
    public void insertLeaves(List<Leaf> leaves, List<StoredNode> nodes) {
        if (!leaves.isEmpty()) jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO ledger_leaf (leaf_index, global_index, patient_id, sequence_number, "
                    + "leaf, leaf_hash) SELECT * FROM unnest(?::int8[], ?::int8[], ?::varchar[], ?::int8[], ?::bytea[], "
                    + "?::bytea[])");
            ps.setArray(1, con.createArrayOf("int8", leaves.stream().map(Leaf::leafIndex).toArray(Long[]::new)));
            ps.setArray(2, con.createArrayOf("int8", leaves.stream().map(Leaf::globalIndex).toArray(Long[]::new)));
            ps.setArray(3, con.createArrayOf("varchar", leaves.stream().map(Leaf::patientId).toArray(String[]::new)));
            ps.setArray(4, con.createArrayOf("int8", leaves.stream().map(Leaf::sequenceNumber).toArray(Long[]::new)));
            ps.setArray(5, con.createArrayOf("bytea", leaves.stream().map(Leaf::leaf).toArray(byte[][]::new)));
            ps.setArray(6, con.createArrayOf("bytea", leaves.stream().map(Leaf::leafHash).toArray(byte[][]::new)));
            return ps;
        });
        log.insertNodes(nodes);
    }

    public void insertCheckpoint(CheckpointRow row) {
        log.insertCheckpoint(row);
    }

    public Optional<CheckpointRow> latestCheckpoint() {
        return log.latestCheckpoint();
    }

    public Optional<CheckpointRow> checkpoint(long treeSize) {
        return log.checkpoint(treeSize);
    }

    /** Every checkpoint, smallest tree first. */
    public List<CheckpointRow> checkpoints() {
        return log.checkpoints();
    }

    /** The event log's nodes and checkpoints. */
    public MerkleLog log() {
        return log;
    }

    /** A patient's leaves inside the first {@code treeSize} leaves, in leaf order, with the stored event of each. */
    public List<Map.Entry<Leaf, StoredEvent>> patientLeaves(String patientId, long treeSize) {
        List<Map.Entry<Leaf, StoredEvent>> rows = new ArrayList<>();
        jdbc.query("SELECT l.leaf_index, l.global_index, l.patient_id, l.sequence_number, l.leaf, l.leaf_hash, "
                + EventTableSql.eventColumns("e") + " "
                + "FROM ledger_leaf l LEFT JOIN " + EventTableSql.table() + " e ON e." + EventTableSql.globalIndex()
                + " = l.global_index "
                + "WHERE l.patient_id = ? AND l.leaf_index < ? ORDER BY l.leaf_index", rs -> {
            Leaf leaf = new Leaf(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getBytes(5), rs.getBytes(6));
            rs.getLong(7);
            StoredEvent event = rs.wasNull() ? null : new StoredEvent(rs.getLong(7), rs.getString(8), rs.getLong(9),
                    rs.getString(10), rs.getBytes(11), rs.getBytes(12), rs.getString(13));
            rows.add(new java.util.AbstractMap.SimpleEntry<>(leaf, event));
        }, patientId, treeSize);
        return rows;
    }

    /** The highest global index of the patient's events, if it has any. */
    public Optional<Long> lastGlobalIndex(String patientId) {
        Long last = jdbc.queryForObject(EventTableSql.lastGlobalIndexOfAggregate(), Long.class, patientId);
        return Optional.ofNullable(last);
    }

    /** The global index of leaf {@code leafIndex}. */
    public long globalIndexOfLeaf(long leafIndex) {
        Long global = jdbc.queryForObject("SELECT global_index FROM ledger_leaf WHERE leaf_index = ?", Long.class, leafIndex);
        if (global == null) throw new IllegalStateException("no leaf " + leafIndex);
        return global;
    }

    /** Stored node hashes, one query for all of them (a proof's O(log n) nodes, or several proofs' together). */
    @Override
    public List<byte[]> hashes(List<NodeId> nodes) {
        return log.hashes(nodes);
    }
}
