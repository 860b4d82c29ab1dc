package org.treatmentledger.api.integrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.verify.merkle.NodeId;
import org.treatmentledger.verify.merkle.NodeSource;
import org.treatmentledger.verify.merkle.ProofGenerator;
import org.treatmentledger.verify.merkle.StoredNode;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteKeys;
import org.treatmentledger.verify.note.NoteSigner;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tree part of one tamper-evident log: its complete subtrees ({@code <name>_tree_node}) and its signed
 * checkpoints ({@code <name>_checkpoint}), both append-only, with the same columns for every log. The event log
 * (name {@code ledger}, V12) and the access log (name {@code access}, V35) each have one; what a leaf is, and which
 * rows become leaves, is each log's own business.
 */
public class MerkleLog implements NodeSource {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final String CHECKPOINT_COLUMNS = "tree_size, root_hash, origin, note, key_id, public_key, issued_at";

    private final JdbcTemplate jdbc;
    private final String nodes;
    private final String checkpoints;

    /** {@code name} is a fixed table prefix of the code, never input. */
    public MerkleLog(JdbcTemplate jdbc, String name) {
        if (!name.matches("[a-z]+")) throw new IllegalArgumentException("not a log name: " + name);
        this.jdbc = jdbc;
        this.nodes = name + "_tree_node";
        this.checkpoints = name + "_checkpoint";
    }

    /** Stored node hashes, one query for all of them (a proof's O(log n) nodes, or several proofs' together). */
    @Override
    public List<byte[]> hashes(List<NodeId> wanted) {
        if (wanted.isEmpty()) return List.of();
        Map<NodeId, byte[]> found = new HashMap<>();
        Integer[] levels = wanted.stream().map(NodeId::level).toArray(Integer[]::new);
        Long[] indexes = wanted.stream().map(NodeId::index).toArray(Long[]::new);
        jdbc.query(con -> {
            var ps = con.prepareStatement("SELECT n.level, n.node_index, n.hash FROM " + nodes + " n "
                    + "JOIN unnest(?::smallint[], ?::bigint[]) AS want(level, node_index) "
                    + "ON n.level = want.level AND n.node_index = want.node_index");
            ps.setArray(1, con.createArrayOf("int2", levels));
            ps.setArray(2, con.createArrayOf("int8", indexes));
            return ps;
        }, rs -> {
            found.put(new NodeId(rs.getInt(1), rs.getLong(2)), rs.getBytes(3));
        });
        List<byte[]> hashes = new ArrayList<>(wanted.size());
        for (NodeId node : wanted) {
            byte[] hash = found.get(node);
            if (hash == null) throw new IllegalStateException("the tree " + nodes + " has no stored node " + node);
            hashes.add(hash);
        }
        return hashes;
    }

    /** The nodes a round completed, in one statement (the rows travel as arrays, see TreeStore.insertLeaves). */
    public void insertNodes(List<StoredNode> completed) {
        if (completed.isEmpty()) return;
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO " + nodes + " (level, node_index, hash) "
                    + "SELECT * FROM unnest(?::int2[], ?::int8[], ?::bytea[])");
            ps.setArray(1, con.createArrayOf("int2",
                    completed.stream().map(n -> (short) n.node().level()).toArray(Short[]::new)));
            ps.setArray(2, con.createArrayOf("int8", completed.stream().map(n -> n.node().index()).toArray(Long[]::new)));
            ps.setArray(3, con.createArrayOf("bytea", completed.stream().map(StoredNode::hash).toArray(byte[][]::new)));
            return ps;
        });
    }

    /** Signs a checkpoint of the tree at {@code size} with {@code signer} (whose key name is the log's origin) and stores it. */
    public void sign(NoteSigner signer, long size, byte[] root) {
        String note = new Checkpoint(signer.name(), size, root).sign(signer).format();
        insertCheckpoint(new TreeStore.CheckpointRow(size, root, signer.name(), note, NoteKeys.hex(signer.keyId()),
                signer.verifierKey().publicKey(), null));
    }

    public void insertCheckpoint(TreeStore.CheckpointRow row) {
        jdbc.update("INSERT INTO " + checkpoints + " (tree_size, root_hash, origin, note, key_id, public_key) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", row.treeSize(), row.rootHash(), row.origin(), row.note(), row.keyId(),
                row.publicKey());
    }

    private static TreeStore.CheckpointRow checkpoint(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp issued = rs.getTimestamp(7);
        return new TreeStore.CheckpointRow(rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getBytes(6), issued == null ? null : issued.toInstant());
    }

    public Optional<TreeStore.CheckpointRow> latestCheckpoint() {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM " + checkpoints + " ORDER BY tree_size DESC LIMIT 1",
                (rs, n) -> checkpoint(rs)).stream().findFirst();
    }

    public Optional<TreeStore.CheckpointRow> checkpoint(long treeSize) {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM " + checkpoints + " WHERE tree_size = ?",
                (rs, n) -> checkpoint(rs), treeSize).stream().findFirst();
    }

    /** Every checkpoint, smallest tree first. */
    public List<TreeStore.CheckpointRow> checkpoints() {
        return jdbc.query("SELECT " + CHECKPOINT_COLUMNS + " FROM " + checkpoints + " ORDER BY tree_size",
                (rs, n) -> checkpoint(rs));
    }

    /** The latest checkpoint as served; none issued yet is {@link EvidenceService.NotSealedException} (503). */
    public IntegrityViews.CheckpointView latest() {
        return latestCheckpoint().map(IntegrityViews.CheckpointView::of)
                .orElseThrow(() -> new EvidenceService.NotSealedException("No checkpoint has been issued yet; the sealer "
                        + "issues the first one within a second of the first entry."));
    }

    /**
     * The RFC 9162 consistency proof between two checkpointed sizes, from the query's text: a missing or malformed
     * size, {@code from} below 1 or above {@code to} is 400, a size no checkpoint was issued for 404 (both
     * {@link EvidenceService.ParameterException}, naming the parameter).
     */
    public IntegrityViews.ConsistencyView consistency(String fromText, String toText) {
        long from = size("from", fromText);
        long to = size("to", toText);
        if (from < 1) {
            throw new EvidenceService.ParameterException("from", "must be at least 1: every tree extends the empty one, "
                    + "so no proof from size 0 is defined", false);
        }
        if (from > to) throw new EvidenceService.ParameterException("from", "must not be larger than to (" + to + ")", false);
        if (checkpoint(from).isEmpty()) {
            throw new EvidenceService.ParameterException("from", "no checkpoint was issued for tree size " + from, true);
        }
        if (checkpoint(to).isEmpty()) {
            throw new EvidenceService.ParameterException("to", "no checkpoint was issued for tree size " + to, true);
        }
        List<String> hashes = new ProofGenerator(this).consistencyProof(from, to).stream()
                .map(BASE64::encodeToString).toList();
        return new IntegrityViews.ConsistencyView(from, to, hashes);
    }

    private static long size(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new EvidenceService.ParameterException(field, "is required (a tree size)", false);
        }
        if (!text.matches("0|[1-9][0-9]{0,17}")) {
            throw new EvidenceService.ParameterException(field,
                    "must be a tree size: a decimal number without sign or leading zeros", false);
        }
        return Long.parseLong(text);
    }
}
