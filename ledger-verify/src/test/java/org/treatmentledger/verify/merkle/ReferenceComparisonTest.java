package org.treatmentledger.verify.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production generator (plans over stored nodes) against {@link ReferenceMerkle} (the RFC's recursion over leaf
 * lists): every tree size up to 64 with every leaf index and every size pair, then random sizes up to 100,000.
 * Each generated proof must equal the reference's, verify with the RFC's algorithm, and stop verifying when changed.
 */
class ReferenceComparisonTest {

    private static final int ALL_UP_TO = 64;
    private static final int LARGE = 100_000;

    private static List<byte[]> leaves;
    private static InMemoryTree tree;

    @BeforeAll
    static void buildTree() {
        leaves = new ArrayList<>(LARGE);
        for (int i = 0; i < LARGE; i++) {
            leaves.add(Rfc9162.leafHash(("leaf " + i).getBytes()));
        }
        tree = InMemoryTree.of(leaves);
    }

    @Test
    void rootOfEverySizeUpTo64MatchesTheReference() {
        for (int n = 0; n <= ALL_UP_TO; n++) {
            assertThat(tree.rootHash(n)).as("size %d", n).isEqualTo(ReferenceMerkle.mth(leaves.subList(0, n)));
        }
    }

    @Test
    void everyInclusionProofUpToSize64MatchesTheReferenceAndVerifies() {
        int checked = 0;
        for (int n = 1; n <= ALL_UP_TO; n++) {
            List<byte[]> d = leaves.subList(0, n);
            byte[] root = ReferenceMerkle.mth(d);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = tree.inclusionProof(m, n);
                assertThat(proof).as("PATH(%d, D[%d])", m, n).containsExactlyElementsOf(ReferenceMerkle.path(m, d));
                assertThat(ProofVerifier.verifyInclusion(m, n, d.get(m), proof, root)).isTrue();
                assertInclusionBreaks(m, n, d.get(m), proof, root);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(ALL_UP_TO * (ALL_UP_TO + 1) / 2);
    }

    @Test
    void everyConsistencyProofUpToSize64MatchesTheReferenceAndVerifies() {
        int checked = 0;
        for (int n = 1; n <= ALL_UP_TO; n++) {
            List<byte[]> d = leaves.subList(0, n);
            byte[] root2 = ReferenceMerkle.mth(d);
            for (int m = 1; m <= n; m++) {
                byte[] root1 = ReferenceMerkle.mth(leaves.subList(0, m));
                List<byte[]> proof = tree.consistencyProof(m, n);
                assertThat(proof).as("PROOF(%d, D[%d])", m, n).containsExactlyElementsOf(ReferenceMerkle.proof(m, d));
                assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, proof)).isTrue();
                assertConsistencyBreaks(m, n, root1, root2, proof);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(ALL_UP_TO * (ALL_UP_TO + 1) / 2);
    }

    @Test
    void randomSizesUpTo100000MatchTheReference() {
        Random random = new Random(9162);
        for (int trial = 0; trial < 12; trial++) {
            int n = 1 + random.nextInt(LARGE);
            List<byte[]> d = leaves.subList(0, n);
            byte[] root = ReferenceMerkle.mth(d);
            assertThat(tree.rootHash(n)).as("size %d", n).isEqualTo(root);

            int m = random.nextInt(n);
            List<byte[]> path = tree.inclusionProof(m, n);
            assertThat(path).as("PATH(%d, D[%d])", m, n).containsExactlyElementsOf(ReferenceMerkle.path(m, d));
            assertThat(ProofVerifier.verifyInclusion(m, n, d.get(m), path, root)).isTrue();
            assertInclusionBreaks(m, n, d.get(m), path, root);

            int from = 1 + random.nextInt(n);
            byte[] root1 = ReferenceMerkle.mth(leaves.subList(0, from));
            List<byte[]> proof = tree.consistencyProof(from, n);
            assertThat(proof).as("PROOF(%d, D[%d])", from, n).containsExactlyElementsOf(ReferenceMerkle.proof(from, d));
            assertThat(ProofVerifier.verifyConsistency(from, n, root1, root, proof)).isTrue();
            assertConsistencyBreaks(from, n, root1, root, proof);
        }
    }

    @Test
    void randomProofsOverTheLargeTreeVerify() {
        // Without the reference's O(n) recomputation, many more sizes can be tried against the verifier alone.
        Random random = new Random(6962);
        for (int trial = 0; trial < 2_000; trial++) {
            int n = 1 + random.nextInt(LARGE);
            byte[] root = tree.rootHash(n);
            int m = random.nextInt(n);
            assertThat(ProofVerifier.verifyInclusion(m, n, leaves.get(m), tree.inclusionProof(m, n), root)).isTrue();
            int from = 1 + random.nextInt(n);
            assertThat(ProofVerifier.verifyConsistency(from, n, tree.rootHash(from), root,
                    tree.consistencyProof(from, n))).isTrue();
        }
    }

    @Test
    void aProofReadsLogarithmicallyManyNodesInOneCall() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger nodesRead = new AtomicInteger();
        NodeSource counting = nodes -> {
            calls.incrementAndGet();
            nodesRead.addAndGet(nodes.size());
            return tree.hashes(nodes);
        };
        ProofGenerator generator = new ProofGenerator(counting);
        Random random = new Random(1);
        int worst = 0;
        for (int trial = 0; trial < 500; trial++) {
            int n = 2 + random.nextInt(LARGE - 1);
            int bound = 2 * (64 - Long.numberOfLeadingZeros(n - 1));
            calls.set(0);
            nodesRead.set(0);
            generator.inclusionProof(random.nextInt(n), n);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(nodesRead.get()).as("inclusion at size %d", n).isLessThanOrEqualTo(bound);
            worst = Math.max(worst, nodesRead.get());
            calls.set(0);
            nodesRead.set(0);
            generator.consistencyProof(1 + random.nextInt(n - 1), n);
            assertThat(calls.get()).isEqualTo(1);
            assertThat(nodesRead.get()).as("consistency at size %d", n).isLessThanOrEqualTo(bound);
        }
        assertThat(worst).isLessThanOrEqualTo(34);
    }

    @Test
    void anAppenderResumedFromStoredNodesContinuesTheSameTree() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = random.nextInt(5_000);
            TreeAppender resumed = TreeAppender.resume(n, tree);
            assertThat(resumed.rootHash()).isEqualTo(tree.rootHash(n));
            int more = 1 + random.nextInt(300);
            for (int i = n; i < n + more; i++) {
                List<StoredNode> completed = resumed.append(leaves.get(i));
                assertThat(completed.get(0).node()).isEqualTo(new NodeId(0, i));
                for (StoredNode node : completed) {
                    assertThat(node.hash()).isEqualTo(tree.hashes(List.of(node.node())).get(0));
                }
            }
            assertThat(resumed.rootHash()).isEqualTo(tree.rootHash(n + more));
        }
    }

    private static void assertInclusionBreaks(long m, long n, byte[] leaf, List<byte[]> proof, byte[] root) {
        byte[] otherLeaf = leaf.clone();
        otherLeaf[31] ^= 1;
        assertThat(ProofVerifier.verifyInclusion(m, n, otherLeaf, proof, root)).isFalse();
        for (int p = 0; p < proof.size(); p++) {
            List<byte[]> changed = copy(proof);
            changed.get(p)[p % 32] ^= 0x40;
            assertThat(ProofVerifier.verifyInclusion(m, n, leaf, changed, root)).isFalse();
        }
        if (!proof.isEmpty()) {
            assertThat(ProofVerifier.verifyInclusion(m, n, leaf, proof.subList(1, proof.size()), root)).isFalse();
        }
        List<byte[]> longer = copy(proof);
        longer.add(root);
        assertThat(ProofVerifier.verifyInclusion(m, n, leaf, longer, root)).isFalse();
    }

    private static void assertConsistencyBreaks(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof) {
        byte[] other = root1.clone();
        other[0] ^= 1;
        assertThat(ProofVerifier.verifyConsistency(m, n, other, root2, proof)).isFalse();
        other = root2.clone();
        other[0] ^= 1;
        assertThat(ProofVerifier.verifyConsistency(m, n, root1, other, proof)).isFalse();
        for (int p = 0; p < proof.size(); p++) {
            List<byte[]> changed = copy(proof);
            changed.get(p)[31 - p % 32] ^= 0x02;
            assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, changed)).isFalse();
        }
        if (!proof.isEmpty()) {
            assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, proof.subList(0, proof.size() - 1)))
                    .isFalse();
        }
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] hash : proof) {
            out.add(hash.clone());
        }
        return out;
    }
}
