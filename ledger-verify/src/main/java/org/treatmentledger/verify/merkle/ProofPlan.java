package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stored nodes make up each hash of a proof, before anything is read. Each element of a proof is the hash
 * MTH(D[a:b]) of one range of leaves; a range is a run of complete subtrees of decreasing size (the binary
 * decomposition of its width), folded from the right: MTH = H(p1, H(p2, ... H(pj-1, pj))). A complete range is one
 * node; only a range that ends at the tree's right edge needs more. Once RFC 9162's recursion steps into a left
 * half, every later range lies inside a complete subtree, so at most one element of an inclusion or consistency
 * proof is such an edge range: a proof reads at most about 2 log2(n) nodes.
 */
public final class ProofPlan {

    private final List<List<NodeId>> elements;

    ProofPlan(List<List<NodeId>> elements) {
        this.elements = List.copyOf(elements);
    }

    /** For each element of the proof, the complete subtrees whose right fold is its hash. */
    public List<List<NodeId>> elements() {
        return elements;
    }

    /** Every node the proof needs, each once, in first-use order. */
    public List<NodeId> nodes() {
        Map<NodeId, Boolean> distinct = new LinkedHashMap<>();
        for (List<NodeId> element : elements) {
            for (NodeId node : element) {
                distinct.put(node, Boolean.TRUE);
            }
        }
        return List.copyOf(distinct.keySet());
    }

    /** Reads the nodes from the source in one call and folds them into the proof's hashes. */
    public List<byte[]> resolve(NodeSource source) {
        List<NodeId> needed = nodes();
        if (needed.isEmpty()) {
            return List.of();
        }
        List<byte[]> read = source.hashes(needed);
        if (read == null || read.size() != needed.size()) {
            throw new IllegalStateException("the node source answered " + (read == null ? "nothing" : read.size()
                    + " hashes") + " for " + needed.size() + " nodes");
        }
        Map<NodeId, byte[]> byNode = new LinkedHashMap<>();
        for (int i = 0; i < needed.size(); i++) {
            byte[] hash = read.get(i);
            if (!Rfc9162.isHash(hash)) {
                throw new IllegalStateException("the node source has no 32-byte hash for " + needed.get(i));
            }
            byNode.put(needed.get(i), hash);
        }
        List<byte[]> proof = new ArrayList<>(elements.size());
        for (List<NodeId> element : elements) {
            byte[] folded = byNode.get(element.get(element.size() - 1));
            for (int i = element.size() - 2; i >= 0; i--) {
                folded = Rfc9162.nodeHash(byNode.get(element.get(i)), folded);
            }
            proof.add(Rfc9162.copy(folded));
        }
        return proof;
    }

    /** The complete subtrees of the range [start, end), largest first; start is aligned as RFC 9162's splits are. */
    static List<NodeId> range(long start, long end) {
        List<NodeId> nodes = new ArrayList<>();
        long at = start;
        while (at < end) {
            long width = Long.highestOneBit(end - at);
            int level = Long.numberOfTrailingZeros(width);
            if (at % width != 0) {
                throw new IllegalStateException("range [" + start + ", " + end + ") is not aligned at " + at);
            }
            nodes.add(new NodeId(level, at >> level));
            at += width;
        }
        return nodes;
    }
}
