package org.treatmentledger.verify.merkle;

/**
 * A complete (perfect) subtree of the tree: at {@code level} 0 a single leaf, at level L the 2^L leaves from
 * {@code index * 2^L} (inclusive) to {@code (index + 1) * 2^L} (exclusive). Its hash is the same in every tree
 * that holds all of its leaves, which is what lets a server store it once and serve proofs for any later size.
 */
public record NodeId(int level, long index) {

    public NodeId {
        if (level < 0 || level > 62) {
            throw new IllegalArgumentException("level must be 0..62: " + level);
        }
        if (index < 0 || index > (Long.MAX_VALUE >> level) - 1) {
            throw new IllegalArgumentException("index out of range at level " + level + ": " + index);
        }
    }

    /** The first leaf the subtree covers. */
    public long firstLeaf() {
        return index << level;
    }

    /** One past the last leaf the subtree covers. */
    public long endLeaf() {
        return (index + 1) << level;
    }

    public long width() {
        return 1L << level;
    }
}
