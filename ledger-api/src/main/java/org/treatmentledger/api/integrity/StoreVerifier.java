package org.treatmentledger.api.integrity;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.treatmentledger.api.eventstore.EventTableSql;
import org.treatmentledger.verify.leaf.LeafFormatException;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.NodeId;
import org.treatmentledger.verify.merkle.NodeSource;
import org.treatmentledger.verify.merkle.ProofGenerator;
import org.treatmentledger.verify.merkle.Rfc9162;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteFormatException;
import org.treatmentledger.verify.note.NoteVerificationException;
import org.treatmentledger.verify.note.NoteVerifier;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The whole-store check ({@code POST /api/admin/ledger/verify}): every leaf recomputed from the stored event it names,
 * the tree recomputed from the leaves and compared with every stored node, and every checkpoint issued checked
 * against the recomputed tree and the trusted keys. All in one REPEATABLE READ snapshot, so a sealer appending
 * meanwhile is simply not seen. Streams the tables (two cursors merged on the global index); memory is the leaf
 * hashes (32 bytes a leaf) and one previous-leaf hash per patient.
 * <p>
 * Under the {@code axonserver} profile the events are not in this database: they are read through the sealer's own
 * {@link SealSource} (Axon Server's event stream) up to the last sealed token, beside the leaves of the snapshot.
 * Axon Server only appends, so the events up to that token are the ones the leaves were made from.
 * <p>
 * Checks run in leaf order and stop at the first mismatch; if the leaves and events agree, the stored nodes are
 * compared (the mismatch named is the node covering the lowest leaf), then the checkpoints, smallest first.
 */
public class StoreVerifier {

    public record Mismatch(long leafIndex, String patientId, Long sequenceNumber, String reason) { }

    public record Report(boolean verified, long treeSize, long checkpointsChecked, Mismatch firstMismatch) { }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(StoreVerifier.class);
    private static final int FETCH = 2_000;
    private final DataSource dataSource;
    private final IntegrityKeys keys;
    private final SealSource source;

    public StoreVerifier(DataSource dataSource, IntegrityKeys keys, SealSource source) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.source = source;
    }

    public Report verify() {
        Connection con = DataSourceUtils.getConnection(dataSource);
        boolean autoCommit = true;
        int isolation = Connection.TRANSACTION_READ_COMMITTED;
        try {
            autoCommit = con.getAutoCommit();
            isolation = con.getTransactionIsolation();
            con.setAutoCommit(false);
            con.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            con.setReadOnly(true);
            try {
                return verify(con);
            } finally {
                con.rollback();
            }
        } catch (SQLException e) {
            throw new org.springframework.dao.DataAccessResourceFailureException("verifying the ledger failed", e);
        } finally {
            try {
                con.setReadOnly(false);
                con.setTransactionIsolation(isolation);
                con.setAutoCommit(autoCommit);
            } catch (SQLException ignored) {
                // The pool checks the connection when it is returned.
            }
            DataSourceUtils.releaseConnection(con, dataSource);
        }
    }

    private Report verify(Connection con) throws SQLException {
        long started = System.nanoTime();
        Report report = check(con);
        log.info("Ledger verify: {} leaves, {} checkpoints, {} in {} ms", report.treeSize(), report.checkpointsChecked(),
                report.verified() ? "verified" : "first mismatch " + report.firstMismatch(), (System.nanoTime() - started) / 1_000_000);
        return report;
    }

    private Report check(Connection con) throws SQLException {
        long lastSealedGlobal;
        try (PreparedStatement ps = con.prepareStatement(
                "SELECT coalesce(max(global_index), 0), count(*) FROM ledger_leaf");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            lastSealedGlobal = rs.getLong(2) == 0 ? source.start() : rs.getLong(1);
        }
        long t0 = System.nanoTime();
        LeafPass leaves = new LeafPass();
        Mismatch first = leaves.run(con, dataSource, source.inEventTable() ? null : source, lastSealedGlobal);
        long t1 = System.nanoTime();
        long size = leaves.size;
        List<TreeStore.CheckpointRow> checkpoints = checkpoints(con);
        if (first != null) return new Report(false, size, 0, first);

        Tree tree = new Tree(leaves.hashes, size);
        long t2 = System.nanoTime();
        first = tree.compareStoredNodes(con);
        long t3 = System.nanoTime();
        if (first != null) return new Report(false, size, 0, first);

        NoteVerifier notes = new NoteVerifier(List.copyOf(keys.trusted().values()));
        ProofGenerator roots = new ProofGenerator(tree);
        long checked = 0;
        for (TreeStore.CheckpointRow row : checkpoints) {
            checked++;
            Mismatch bad = checkCheckpoint(con, row, size, roots, notes);
            if (bad != null) return new Report(false, size, checked, bad);
        }
        log.debug("Ledger verify phases (ms): leaves and events {}, tree {}, stored nodes {}, checkpoints {}",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
        return new Report(true, size, checked, null);
    }

    private static Mismatch checkCheckpoint(Connection con, TreeStore.CheckpointRow row, long size,
                                            ProofGenerator roots, NoteVerifier notes) throws SQLException {
        long at = Math.max(0, Math.min(row.treeSize(), size) - 1);
        if (row.treeSize() > size) {
            return named(con, size == 0 ? 0 : size - 1, "CHECKPOINT_BEYOND_TREE");
        }
        Checkpoint signed;
        try {
            signed = Checkpoint.parse(notes.open(row.note()).text());
        } catch (NoteVerificationException | NoteFormatException e) {
            return named(con, at, "CHECKPOINT_SIGNATURE_INVALID");
        }
        byte[] root = roots.rootHash(row.treeSize());
        if (signed.treeSize() != row.treeSize() || !signed.origin().equals(row.origin())
                || !MessageDigest.isEqual(signed.rootHash(), row.rootHash())) {
            return named(con, at, "CHECKPOINT_ROW_CHANGED");
        }
        if (!MessageDigest.isEqual(root, signed.rootHash())) {
            return named(con, at, "CHECKPOINT_ROOT_MISMATCH");
        }
        return null;
    }

    /** A mismatch at a leaf, named by the patient and sequence number the stored leaf row gives. */
    static Mismatch named(Connection con, long leafIndex, String reason) throws SQLException {
        try (PreparedStatement ps = con.prepareStatement(
                "SELECT patient_id, sequence_number FROM ledger_leaf WHERE leaf_index = ?")) {
            ps.setLong(1, leafIndex);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return new Mismatch(leafIndex, rs.getString(1), rs.getLong(2), reason);
            }
        }
        return new Mismatch(leafIndex, null, null, reason);
    }

    private static List<TreeStore.CheckpointRow> checkpoints(Connection con) throws SQLException {
        List<TreeStore.CheckpointRow> rows = new ArrayList<>();
        try (PreparedStatement ps = con.prepareStatement("SELECT tree_size, root_hash, origin, note, key_id, public_key "
                + "FROM ledger_checkpoint ORDER BY tree_size")) {
            ps.setFetchSize(FETCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new TreeStore.CheckpointRow(rs.getLong(1), rs.getBytes(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getBytes(6), null));
                }
            }
        }
        return rows;
    }

    /** Leaves and events, merged on the global index; recomputes each leaf. */
    static final class LeafPass {
        long size;
        byte[] hashes = new byte[32 * 1024];
        /**
         * The events are read on a second connection in the same snapshot (exported from this one) by a thread of
         * their own, which also hashes their payload and metadata: reading, hashing and the leaf checks then run
         * side by side instead of taking turns on one connection.
         */
        Mismatch run(Connection con, DataSource dataSource, SealSource streamed, long lastSealedGlobal)
                throws SQLException {
            String snapshot = null;
            if (streamed == null) {
                try (PreparedStatement ps = con.prepareStatement("SELECT pg_export_snapshot()");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    snapshot = rs.getString(1);
                }
            }
            EventReader events = new EventReader(dataSource, snapshot, streamed, lastSealedGlobal);
            Thread reader = new Thread(events, "ledger-verify-events");
            reader.setDaemon(true);
            reader.start();
            try (PreparedStatement leafQuery = con.prepareStatement("SELECT leaf_index, global_index, patient_id, "
                    + "sequence_number, leaf, leaf_hash FROM ledger_leaf ORDER BY leaf_index")) {
                binary(leafQuery);
                leafQuery.setFetchSize(FETCH);
                try (ResultSet leafRows = leafQuery.executeQuery()) {
                    return merge(leafRows, events);
                }
            } finally {
                events.stop();
                try {
                    reader.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private Mismatch merge(ResultSet leafRows, EventReader events) throws SQLException {
            Map<String, byte[]> chain = new HashMap<>();
            Digest event = events.next();
            long previousGlobal = Long.MIN_VALUE;
            long expected = 0;
            while (leafRows.next()) {
                long leafIndex = leafRows.getLong(1);
                long global = leafRows.getLong(2);
                String patient = leafRows.getString(3);
                long sequence = leafRows.getLong(4);
                byte[] leafBytes = leafRows.getBytes(5);
                byte[] leafHash = leafRows.getBytes(6);
                if (leafIndex != expected) return new Mismatch(expected, patient, sequence, "LEAF_MISSING");
                if (global <= previousGlobal) return new Mismatch(leafIndex, patient, sequence, "LEAF_OUT_OF_ORDER");
                previousGlobal = global;
                // An event before this leaf's that has no leaf: inserted after sealing, below the sealed horizon.
                if (event != null && event.globalIndex() < global) {
                    return new Mismatch(leafIndex, event.patientId(), event.sequenceNumber(), "EVENT_NOT_IN_TREE");
                }
                if (event == null || event.globalIndex() != global) {
                    return new Mismatch(leafIndex, patient, sequence, "EVENT_MISSING");
                }
                PatientEventLeaf stored;
                try {
                    stored = PatientEventLeaf.decode(leafBytes);
                } catch (LeafFormatException e) {
                    return new Mismatch(leafIndex, patient, sequence, "LEAF_MALFORMED");
                }
                byte[] hash = Rfc9162.leafHash(leafBytes);
                if (!stored.patientId().equals(patient) || stored.sequenceNumber() != sequence
                        || !MessageDigest.isEqual(hash, leafHash)) {
                    return new Mismatch(leafIndex, stored.patientId(), stored.sequenceNumber(), "LEAF_ROW_CHANGED");
                }
                String reason = compare(stored, event, chain.get(stored.patientId()));
                if (reason != null) return new Mismatch(leafIndex, patient, sequence, reason);
                chain.put(stored.patientId(), hash);
                append(hash);
                expected++;
                event = events.next();
            }
            if (event != null) {
                return new Mismatch(expected, event.patientId(), event.sequenceNumber(), "EVENT_NOT_IN_TREE");
            }
            return null;
        }

        /** Which field of the stored event no longer matches the leaf, or null when the leaf is the event's. */
        private static String compare(PatientEventLeaf stored, Digest event, byte[] previous) {
            if (!stored.patientId().equals(event.patientId())) return "PATIENT_CHANGED";
            if (stored.sequenceNumber() != event.sequenceNumber()) return "SEQUENCE_NUMBER_CHANGED";
            if (!stored.eventType().equals(event.type())) return "TYPE_CHANGED";
            if (!MessageDigest.isEqual(stored.payloadSha256(), event.payloadSha256())) return "PAYLOAD_CHANGED";
            if (!MessageDigest.isEqual(stored.metadataSha256(), event.metadataSha256())) {
                return "METADATA_CHANGED";
            }
            if (!stored.recordedAt().equals(event.timestamp())) return "TIMESTAMP_CHANGED";
            byte[] expectedPrevious = previous == null ? PatientEventLeaf.noPreviousLeaf() : previous;
            if (!MessageDigest.isEqual(stored.previousLeafHash(), expectedPrevious)) return "CHAIN_BROKEN";
            return null;
        }

        private void append(byte[] hash) {
            int at = (int) (size * 32);
            if (at + 32 > hashes.length) hashes = Arrays.copyOf(hashes, hashes.length * 2);
            System.arraycopy(hash, 0, hashes, at, 32);
            size++;
        }
    }

    /** A stored event with its payload and metadata already hashed. */
    record Digest(long globalIndex, String patientId, long sequenceNumber, String type, byte[] payloadSha256,
                  byte[] metadataSha256, String timestamp) { }

    /** pgjdbc sends bytea in binary (not hex text) only for server-prepared statements: prepare from the first run. */
    private static void binary(PreparedStatement ps) throws SQLException {
        if (ps.isWrapperFor(org.postgresql.PGStatement.class)) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
        }
    }

    /**
     * Streams the events up to the last sealed global index, in global-index order: from the event table in the
     * verifier's snapshot, or (with {@code streamed} set) through that source.
     */
    static final class EventReader implements Runnable {
        private static final List<Digest> END = List.of();
        private final DataSource dataSource;
        private final String snapshot;
        private final SealSource streamed;
        private final long upTo;
        private final BlockingQueue<List<Digest>> batches = new ArrayBlockingQueue<>(8);
        private volatile boolean stopped;
        private volatile Throwable failure;
        private List<Digest> current = List.of();
        private int position;
        private boolean ended;

        EventReader(DataSource dataSource, String snapshot, SealSource streamed, long upTo) {
            this.dataSource = dataSource;
            this.snapshot = snapshot;
            this.streamed = streamed;
            this.upTo = upTo;
        }

        @Override
        public void run() {
            try {
                if (streamed == null) readTable();
                else readStream();
            } catch (Throwable t) {
                failure = t;
            } finally {
                try {
                    while (!stopped && !batches.offer(END, 100, TimeUnit.MILLISECONDS)) {
                        // The consumer is still busy; it takes END once it has room.
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void readStream() throws InterruptedException {
            long after = streamed.start();
            while (!stopped && after < upTo) {
                List<TreeStore.StoredEvent> read = streamed.eventsBetween(after, upTo, FETCH);
                if (read.isEmpty()) break;
                put(read.stream().map(EventReader::digest).toList());
                after = read.get(read.size() - 1).globalIndex();
            }
        }

        private static Digest digest(TreeStore.StoredEvent e) {
            return new Digest(e.globalIndex(), e.patientId(), e.sequenceNumber(), e.type(),
                    Rfc9162.sha256(e.payload()), Rfc9162.sha256(e.metadataBytes()), e.timestamp());
        }

        private void readTable() throws SQLException, InterruptedException {
            try (Connection con = dataSource.getConnection()) {
                boolean autoCommit = con.getAutoCommit();
                int isolation = con.getTransactionIsolation();
                con.setAutoCommit(false);
                con.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    try (PreparedStatement ps = con.prepareStatement("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "") + "'")) {
                        ps.execute();
                    }
                    try (PreparedStatement ps = con.prepareStatement(EventTableSql.eventsUpTo())) {
                        binary(ps);
                        ps.setFetchSize(FETCH);
                        ps.setLong(1, upTo);
                        try (ResultSet rs = ps.executeQuery()) {
                            List<Digest> batch = new ArrayList<>(FETCH);
                            while (!stopped && rs.next()) {
                                batch.add(digest(TreeStore.event(rs)));
                                if (batch.size() == FETCH) {
                                    put(batch);
                                    batch = new ArrayList<>(FETCH);
                                }
                            }
                            if (!batch.isEmpty()) put(batch);
                        }
                    }
                } finally {
                    con.rollback();
                    con.setTransactionIsolation(isolation);
                    con.setAutoCommit(autoCommit);
                }
            }
        }

        private void put(List<Digest> batch) throws InterruptedException {
            while (!stopped && !batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // Back-pressure: at most 8 batches ahead of the leaf checks.
            }
        }

        /** The next event, or null after the last. */
        Digest next() throws SQLException {
            while (position == current.size()) {
                if (ended) return null;
                try {
                    current = batches.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while reading the events", e);
                }
                position = 0;
                if (current == END) {
                    ended = true;
                    if (failure != null) throw new SQLException("reading the events failed", failure);
                    return null;
                }
            }
            return current.get(position++);
        }

        void stop() {
            stopped = true;
            batches.clear();
        }
    }

    /** The tree recomputed from the leaf hashes: every complete subtree, level by level, in flat arrays. */
    static final class Tree implements NodeSource {
        private final List<byte[]> levels = new ArrayList<>();
        private final List<Long> widths = new ArrayList<>();

        Tree(byte[] leafHashes, long size) {
            byte[] level = Arrays.copyOf(leafHashes, (int) (size * 32));
            long count = size;
            levels.add(level);
            widths.add(count);
            while (count > 1) {
                long parents = count / 2;
                byte[] up = new byte[(int) (parents * 32)];
                byte[] left = new byte[32];
                byte[] right = new byte[32];
                for (int i = 0; i < parents; i++) {
                    System.arraycopy(level, 2 * i * 32, left, 0, 32);
                    System.arraycopy(level, (2 * i + 1) * 32, right, 0, 32);
                    System.arraycopy(Rfc9162.nodeHash(left, right), 0, up, i * 32, 32);
                }
                levels.add(up);
                widths.add(parents);
                level = up;
                count = parents;
            }
        }

        byte[] node(int level, long index) {
            if (level >= levels.size() || index >= widths.get(level)) return null;
            return Arrays.copyOfRange(levels.get(level), (int) (index * 32), (int) (index * 32) + 32);
        }

        @Override
        public List<byte[]> hashes(List<NodeId> nodes) {
            List<byte[]> out = new ArrayList<>(nodes.size());
            for (NodeId node : nodes) {
                byte[] hash = node(node.level(), node.index());
                if (hash == null) throw new IllegalStateException("no node " + node);
                out.add(hash);
            }
            return out;
        }

        /** Every stored node against the recomputed one; every recomputed node must be stored. */
        Mismatch compareStoredNodes(Connection con) throws SQLException {
            long lowest = Long.MAX_VALUE;
            for (int level = 0; level < levels.size(); level++) {
                long expected = 0;
                long width = widths.get(level);
                try (PreparedStatement ps = con.prepareStatement(
                        "SELECT node_index, hash FROM ledger_tree_node WHERE level = ? ORDER BY node_index")) {
                    binary(ps);
                    ps.setFetchSize(FETCH);
                    ps.setInt(1, level);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && expected < width) {
                            long index = rs.getLong(1);
                            if (index != expected || !MessageDigest.isEqual(rs.getBytes(2), node(level, index))) {
                                break;
                            }
                            expected++;
                        }
                    }
                }
                if (expected < width) lowest = Math.min(lowest, expected << level);
            }
            return lowest == Long.MAX_VALUE ? null : named(con, lowest, "TREE_NODE_CHANGED");
        }
    }
}
