package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Grows a tree one leaf at a time while holding only its right edge: the complete subtrees of the binary
 * decomposition of the size (at most 63 of them). Each append answers the nodes it completed (the leaf itself and
 * every parent it closed), which is exactly what a tree store must write so that {@link ProofGenerator} can later
 * read any proof for any size up to this one.
 */
public final class TreeAppender {

    private final List<NodeId> edgeNodes = new ArrayList<>();
    private final List<byte[]> edgeHashes = new ArrayList<>();
    private long size;

    /** An appender for an empty tree. */
    public TreeAppender() {
    }

    /** Continues a tree of {@code size} leaves whose complete subtrees are in {@code source}. */
    public static TreeAppender resume(long size, NodeSource source) {
        TreeAppender appender = new TreeAppender();
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (size == 0) {
            return appender;
        }
        List<NodeId> edge = ProofPlan.range(0, size);
        List<byte[]> hashes = source.hashes(edge);
        if (hashes == null || hashes.size() != edge.size()) {
            throw new IllegalStateException("the node source did not answer the tree's right edge at size " + size);
        }
        for (int i = 0; i < edge.size(); i++) {
            if (!Rfc9162.isHash(hashes.get(i))) {
                throw new IllegalStateException("the node source has no 32-byte hash for " + edge.get(i));
            }
            appender.edgeNodes.add(edge.get(i));
            appender.edgeHashes.add(Rfc9162.copy(hashes.get(i)));
        }
        appender.size = size;
        return appender;
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash (RFC 9162's SHA-256(0x00 || leaf)); answers the nodes completed by it, leaf first. */
    public List<StoredNode> append(byte[] leafHash) {
        Rfc9162.requireHash(leafHash, "leaf hash");
        List<StoredNode> completed = new ArrayList<>();
        NodeId node = new NodeId(0, size);
        byte[] hash = Rfc9162.copy(leafHash);
        completed.add(new StoredNode(node, hash));
        // Two neighbours on the edge of the same level form a complete parent: merge until the levels differ.
        while (!edgeNodes.isEmpty() && edgeNodes.get(edgeNodes.size() - 1).level() == node.level()) {
            int last = edgeNodes.size() - 1;
            byte[] left = edgeHashes.remove(last);
            edgeNodes.remove(last);
            hash = Rfc9162.nodeHash(left, hash);
            node = new NodeId(node.level() + 1, node.index() >> 1);
            completed.add(new StoredNode(node, hash));
        }
        edgeNodes.add(node);
        edgeHashes.add(hash);
        size++;
        return completed;
    }

    /** MTH(D[0:size]) of the leaves appended so far. */
    public byte[] rootHash() {
        if (edgeHashes.isEmpty()) {
            return Rfc9162.emptyRoot();
        }
        byte[] root = edgeHashes.get(edgeHashes.size() - 1);
        for (int i = edgeHashes.size() - 2; i >= 0; i--) {
            root = Rfc9162.nodeHash(edgeHashes.get(i), root);
        }
        return Rfc9162.copy(root);
    }
}
