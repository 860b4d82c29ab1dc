package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A second, deliberately naive implementation of RFC 9162 section 2.1: MTH, PATH and PROOF transcribed as the RFC's
 * recursive definitions over a list of leaf hashes, recomputing every subtree from its leaves. It shares nothing with
 * the production code but the two hash functions, so the comparison tests check the production planner against the
 * RFC's text rather than against itself.
 */
final class ReferenceMerkle {

    private ReferenceMerkle() {
    }

    /** MTH(D[n]) where D is given by its leaf hashes. */
    static byte[] mth(List<byte[]> leafHashes) {
        int n = leafHashes.size();
        if (n == 0) {
            return Rfc9162.emptyRoot();
        }
        if (n == 1) {
            return leafHashes.get(0);
        }
        int k = largestPowerOfTwoLessThan(n);
        return Rfc9162.nodeHash(mth(leafHashes.subList(0, k)), mth(leafHashes.subList(k, n)));
    }

    /** PATH(m, D[n]). */
    static List<byte[]> path(int m, List<byte[]> leafHashes) {
        int n = leafHashes.size();
        List<byte[]> result = new ArrayList<>();
        if (n == 1) {
            return result;
        }
        int k = largestPowerOfTwoLessThan(n);
        if (m < k) {
            result.addAll(path(m, leafHashes.subList(0, k)));
            result.add(mth(leafHashes.subList(k, n)));
        } else {
            result.addAll(path(m - k, leafHashes.subList(k, n)));
            result.add(mth(leafHashes.subList(0, k)));
        }
        return result;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
    static List<byte[]> proof(int m, List<byte[]> leafHashes) {
        return subproof(m, leafHashes, true);
    }

    private static List<byte[]> subproof(int m, List<byte[]> leafHashes, boolean b) {
        int n = leafHashes.size();
        List<byte[]> result = new ArrayList<>();
        if (m == n) {
            if (!b) {
                result.add(mth(leafHashes));
            }
            return result;
        }
        int k = largestPowerOfTwoLessThan(n);
        if (m <= k) {
            result.addAll(subproof(m, leafHashes.subList(0, k), b));
            result.add(mth(leafHashes.subList(k, n)));
        } else {
            result.addAll(subproof(m - k, leafHashes.subList(k, n), false));
            result.add(mth(leafHashes.subList(0, k)));
        }
        return result;
    }

    private static int largestPowerOfTwoLessThan(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
