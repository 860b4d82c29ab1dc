package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The verification algorithms of RFC 9162, step by step as the RFC numbers them: inclusion (section 2.1.3.2) and
 * consistency (section 2.1.4.2). Both answer false for any malformed input (a hash that is not 32 bytes, a size out
 * of range) rather than throwing, since their input comes from whoever is being checked.
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /** Whether {@code inclusionPath} proves that {@code leafHash} is leaf {@code leafIndex} of the tree with {@code rootHash}. */
    public static boolean verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> inclusionPath,
                                          byte[] rootHash) {
        byte[] root = rootFromInclusion(leafIndex, treeSize, leafHash, inclusionPath);
        return root != null && Rfc9162.same(root, rootHash);
    }

    /**
     * The root hash that an inclusion path leads to, or null when the path cannot be a valid one for that index and
     * size (RFC 9162 section 2.1.3.2, steps 1 to 5 without the final comparison against the root).
     */
    public static byte[] rootFromInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> inclusionPath) {
        // 1. leaf_index must be below tree_size.
        if (leafIndex < 0 || treeSize < 0 || leafIndex >= treeSize || !Rfc9162.isHash(leafHash)
                || !allHashes(inclusionPath)) {
            return null;
        }
        // 2. fn = leaf_index, sn = tree_size - 1.
        long fn = leafIndex;
        long sn = treeSize - 1;
        // 3. r = hash.
        byte[] r = leafHash;
        // 4. For each p in the path:
        for (byte[] p : inclusionPath) {
            // a. If sn is 0, fail.
            if (sn == 0) {
                return null;
            }
            // b. If LSB(fn) is set or fn == sn: r = HASH(0x01 || p || r), then, if LSB(fn) is not set, shift fn and
            //    sn right until LSB(fn) is set or fn is 0. Otherwise r = HASH(0x01 || r || p).
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc9162.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = Rfc9162.nodeHash(r, p);
            }
            // c. Shift fn and sn right once.
            fn >>>= 1;
            sn >>>= 1;
        }
        // 5. sn must be 0 (the path reached the root); the caller compares r with the root hash.
        return sn == 0 ? Rfc9162.copy(r) : null;
    }

    /**
     * Whether {@code consistencyPath} proves that the tree of size {@code first} with {@code firstHash} is a prefix
     * of the tree of size {@code second} with {@code secondHash}. Edge cases outside the RFC's 0 < first < second
     * follow transparency-dev/merkle: equal sizes need an empty path and equal hashes; a first size of 0 proves
     * nothing and is refused; first > second is refused.
     */
    public static boolean verifyConsistency(long first, long second, byte[] firstHash, byte[] secondHash,
                                            List<byte[]> consistencyPath) {
        if (first < 1 || first > second || !Rfc9162.isHash(firstHash) || !Rfc9162.isHash(secondHash)
                || !allHashes(consistencyPath)) {
            return false;
        }
        if (first == second) {
            return consistencyPath.isEmpty() && Rfc9162.same(firstHash, secondHash);
        }
        // 1. An empty path fails.
        if (consistencyPath.isEmpty()) {
            return false;
        }
        // 2. If first is an exact power of 2, prepend first_hash to the path.
        List<byte[]> path = new ArrayList<>(consistencyPath.size() + 1);
        if (Long.bitCount(first) == 1) {
            path.add(firstHash);
        }
        path.addAll(consistencyPath);
        // 3. fn = first - 1, sn = second - 1.
        long fn = first - 1;
        long sn = second - 1;
        // 4. If LSB(fn) is set, shift fn and sn right until it is not.
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // 5. fr = sr = the first value of the path.
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        // 6. For each subsequent value c:
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            // a. If sn is 0, fail.
            if (sn == 0) {
                return false;
            }
            // b. If LSB(fn) is set or fn == sn: fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr), then, if
            //    LSB(fn) is not set, shift fn and sn right until LSB(fn) is set or fn is 0. Otherwise
            //    sr = HASH(0x01 || sr || c).
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc9162.nodeHash(c, fr);
                sr = Rfc9162.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = Rfc9162.nodeHash(sr, c);
            }
            // c. Shift fn and sn right once.
            fn >>>= 1;
            sn >>>= 1;
        }
        // 7. fr must equal first_hash, sr second_hash, and sn must be 0.
        return sn == 0 && Rfc9162.same(fr, firstHash) && Rfc9162.same(sr, secondHash);
    }

    private static boolean allHashes(List<byte[]> path) {
        if (path == null) {
            return false;
        }
        for (byte[] hash : path) {
            if (!Rfc9162.isHash(hash)) {
                return false;
            }
        }
        return true;
    }
}
