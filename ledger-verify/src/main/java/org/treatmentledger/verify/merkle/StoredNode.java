package org.treatmentledger.verify.merkle;

/** A complete subtree and its hash, as a tree store keeps it. */
public record StoredNode(NodeId node, byte[] hash) {

    public StoredNode {
        Rfc9162.requireHash(hash, "hash");
        hash = Rfc9162.copy(hash);
    }

    @Override
    public byte[] hash() {
        return Rfc9162.copy(hash);
    }
}
