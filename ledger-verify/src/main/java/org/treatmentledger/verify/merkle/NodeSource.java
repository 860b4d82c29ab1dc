package org.treatmentledger.verify.merkle;

import java.util.List;

/**
 * Where the proof generator reads the hashes of complete subtrees. The generator asks once per proof, with every
 * node the proof needs (O(log n) of them), so a store backed by a table of node hashes answers a proof with one
 * query. Each node asked for lies wholly inside the tree size the proof is for.
 */
public interface NodeSource {

    /**
     * The hashes of the given nodes, in the order given.
     *
     * @throws IllegalStateException if a node is not (yet) known to the source
     */
    List<byte[]> hashes(List<NodeId> nodes);
}
