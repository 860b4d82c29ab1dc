package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Tree hashes, inclusion proofs (PATH, RFC 9162 section 2.1.3.1) and consistency proofs (PROOF, section 2.1.4.1)
 * over stored complete subtrees. The recursion of the RFC is done on leaf indexes only, producing a {@link ProofPlan};
 * the hashes are then read from the {@link NodeSource} in one call, so a proof costs O(log n) node reads whatever
 * the tree size.
 */
public final class ProofGenerator {

    private final NodeSource source;

    public ProofGenerator(NodeSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** MTH(D[0:size]); the empty tree's hash for size 0. */
    public byte[] rootHash(long size) {
        if (size == 0) {
            return Rfc9162.emptyRoot();
        }
        return rootPlan(size).resolve(source).get(0);
    }

    /** PATH(index, D[0:size]): the audit path of leaf {@code index}, from the leaf's sibling up to the root's child. */
    public List<byte[]> inclusionProof(long index, long size) {
        return inclusionPlan(index, size).resolve(source);
    }

    /** PROOF(from, D[0:to]) for 0 < from <= to; the proof between equal sizes is empty. */
    public List<byte[]> consistencyProof(long from, long to) {
        return consistencyPlan(from, to).resolve(source);
    }

    public static ProofPlan rootPlan(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("a root plan needs at least one leaf: " + size);
        }
        return new ProofPlan(List.of(ProofPlan.range(0, size)));
    }

    public static ProofPlan inclusionPlan(long index, long size) {
        if (size < 1 || index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not inside a tree of size " + size);
        }
        // Walk down from the root: each split contributes the hash of the half the leaf is not in. The RFC lists
        // the deepest sibling first, so the walk's order is reversed at the end.
        List<List<NodeId>> topDown = new ArrayList<>();
        long start = 0;
        long end = size;
        long m = index;
        while (end - start > 1) {
            long k = Rfc9162.largestPowerOfTwoBelow(end - start);
            if (m < k) {
                topDown.add(ProofPlan.range(start + k, end));
                end = start + k;
            } else {
                topDown.add(ProofPlan.range(start, start + k));
                start += k;
                m -= k;
            }
        }
        Collections.reverse(topDown);
        return new ProofPlan(topDown);
    }

    public static ProofPlan consistencyPlan(long from, long to) {
        if (from < 1 || from > to) {
            throw new IllegalArgumentException("a consistency proof needs 0 < from <= to: from " + from + ", to " + to);
        }
        // SUBPROOF(m, D[start:end], b) of RFC 9162 section 2.1.4.1, unrolled: each step either recurses into the
        // left half (adding the right half's hash) or into the right half with b = false (adding the left half's).
        List<List<NodeId>> topDown = new ArrayList<>();
        long start = 0;
        long end = to;
        long m = from;
        boolean wholeOldTree = true;
        while (m != end - start) {
            long k = Rfc9162.largestPowerOfTwoBelow(end - start);
            if (m <= k) {
                topDown.add(ProofPlan.range(start + k, end));
                end = start + k;
            } else {
                topDown.add(ProofPlan.range(start, start + k));
                start += k;
                m -= k;
                wholeOldTree = false;
            }
        }
        if (!wholeOldTree) {
            topDown.add(ProofPlan.range(start, end));
        }
        Collections.reverse(topDown);
        return new ProofPlan(topDown);
    }
}
