package org.treatmentledger.api.integrity;

import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.NodeId;
import org.treatmentledger.verify.merkle.ProofGenerator;
import org.treatmentledger.verify.merkle.ProofPlan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checkpoints, consistency proofs and evidence bundles from the stored log. */
public class EvidenceService {

    /** The patient has events that no checkpoint covers yet (just written): 503 with Retry-After. */
    public static class NotSealedException extends RuntimeException {
        public NotSealedException(String message) {
            super(message);
        }
    }

    /** A query parameter at fault: 400 (malformed) or 404 (no checkpoint of that size). */
    public static class ParameterException extends RuntimeException {
        private final String field;
        private final boolean notFound;

        public ParameterException(String field, String message, boolean notFound) {
            super(message);
            this.field = field;
            this.notFound = notFound;
        }

        public String field() {
            return field;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Duration POLL = Duration.ofMillis(50);

    private final TreeStore store;
    private final SealSource source;
    private final Duration wait;

    public EvidenceService(TreeStore store, SealSource source, Duration wait) {
        this.store = store;
        this.source = source;
        this.wait = wait;
    }

    public IntegrityViews.CheckpointView latest() {
        return store.log().latest();
    }

    public IntegrityViews.ConsistencyView consistency(String fromText, String toText) {
        return store.log().consistency(fromText, toText);
    }

    /**
     * Every event of the patient's stream with its inclusion proof against the latest checkpoint. Events written a
     * moment ago may not be in a checkpoint yet: the request waits for the sealer up to {@code wait}, then refuses
     * with {@link NotSealedException} rather than answer a bundle without them.
     */
    public IntegrityViews.EvidenceView evidence(String patientId) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            TreeStore.CheckpointRow checkpoint = store.latestCheckpoint().orElse(null);
            Sealed sealed = checkpoint == null ? null
                    : source.inEventTable() ? sealedInTable(patientId, checkpoint) : sealedInStream(patientId, checkpoint);
            Long lastEvent = sealed == null ? null : sealed.lastEvent();
            if (sealed != null && sealed.all()) {
                IntegrityViews.EvidenceView view = bundle(patientId, checkpoint, sealed.rows());
                if (view.entries().isEmpty() && lastEvent == null) {
                    throw new NotFoundException("PATIENT_NOT_FOUND", "No patient with id " + patientId);
                }
                return view;
            }
            if (System.nanoTime() > deadline) {
                throw new NotSealedException("The patient's latest entries are recorded but not yet in a signed "
                        + "checkpoint; they are sealed within seconds. Retry shortly.");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotSealedException("Interrupted while waiting for the sealer");
            }
        }
    }

    /** Whether every event of the patient is inside the checkpoint; {@code rows} its leaves with their events. */
    private record Sealed(boolean all, Long lastEvent, List<Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent>> rows) { }

    /** The JDBC store: the patient's last global index against the checkpoint's last leaf's; events by a join. */
    private Sealed sealedInTable(String patientId, TreeStore.CheckpointRow checkpoint) {
        Long lastEvent = store.lastGlobalIndex(patientId).orElse(null);
        long sealedUpTo = checkpoint.treeSize() == 0 ? 0 : store.globalIndexOfLeaf(checkpoint.treeSize() - 1);
        boolean all = lastEvent == null || lastEvent <= sealedUpTo;
        return new Sealed(all, lastEvent, all ? store.patientLeaves(patientId, checkpoint.treeSize()) : null);
    }

    /**
     * Axon Server: the patient's stream comes from Axon Server (the aggregate's events carry no token), so the
     * patient's highest sequence number is compared with its last leaf inside the checkpoint, and each leaf gets the
     * event of its sequence number; a leaf whose event Axon Server no longer has is shown without bytes, as below.
     */
    private Sealed sealedInStream(String patientId, TreeStore.CheckpointRow checkpoint) {
        Long lastSequence = source.lastSequenceNumber(patientId).orElse(null);
        List<Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent>> leaves = store.patientLeaves(patientId, checkpoint.treeSize());
        long lastSealed = leaves.isEmpty() ? -1 : leaves.get(leaves.size() - 1).getKey().sequenceNumber();
        if (lastSequence != null && lastSequence > lastSealed) return new Sealed(false, lastSequence, null);
        Map<Long, TreeStore.StoredEvent> bySequence = new HashMap<>();
        if (!leaves.isEmpty()) {
            for (TreeStore.StoredEvent event : source.patientEvents(patientId)) {
                bySequence.putIfAbsent(event.sequenceNumber(), event);
            }
        }
        List<Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent>> rows = new ArrayList<>(leaves.size());
        for (var leaf : leaves) {
            TreeStore.StoredEvent event = bySequence.get(leaf.getKey().sequenceNumber());
            // A null value (no event) is allowed here, unlike Map.entry.
            rows.add(new java.util.AbstractMap.SimpleEntry<>(leaf.getKey(), event));
        }
        return new Sealed(true, lastSequence, rows);
    }

    private IntegrityViews.EvidenceView bundle(String patientId, TreeStore.CheckpointRow checkpoint,
                                               List<Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent>> rows) {
        long size = checkpoint.treeSize();
        // Every proof's nodes in one query: a 100-entry stream costs one read of at most 100 * 2 log2(n) rows.
        List<ProofPlan> plans = new ArrayList<>(rows.size());
        Set<NodeId> needed = new LinkedHashSet<>();
        for (var row : rows) {
            ProofPlan plan = ProofGenerator.inclusionPlan(row.getKey().leafIndex(), size);
            plans.add(plan);
            needed.addAll(plan.nodes());
        }
        List<NodeId> all = List.copyOf(needed);
        List<byte[]> read = store.hashes(all);
        Map<NodeId, byte[]> byNode = new HashMap<>();
        for (int i = 0; i < all.size(); i++) byNode.put(all.get(i), read.get(i));

        List<IntegrityViews.EntryView> entries = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            TreeStore.Leaf leaf = rows.get(i).getKey();
            TreeStore.StoredEvent event = rows.get(i).getValue();
            List<String> proof = plans.get(i).resolve(nodes -> nodes.stream().map(byNode::get).toList()).stream()
                    .map(BASE64::encodeToString).toList();
            if (event == null) {
                // The event the leaf names is gone from the store: show the leaf with no stored bytes, which no
                // verifier accepts (the payload's hash cannot match).
                PatientEventLeaf decoded = PatientEventLeaf.decode(leaf.leaf());
                entries.add(new IntegrityViews.EntryView(leaf.leafIndex(), BASE64.encodeToString(leaf.leaf()),
                        leaf.sequenceNumber(), decoded.eventType(), "", "", decoded.recordedAt(), proof));
            } else {
                entries.add(new IntegrityViews.EntryView(leaf.leafIndex(), BASE64.encodeToString(leaf.leaf()),
                        event.sequenceNumber(), event.type(), BASE64.encodeToString(event.payload()),
                        BASE64.encodeToString(event.metadataBytes()), event.timestamp(), proof));
            }
        }
        return new IntegrityViews.EvidenceView(patientId, IntegrityViews.CheckpointView.of(checkpoint), entries);
    }
}
