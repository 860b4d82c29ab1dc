package org.treatmentledger.verify.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Published vectors for the 8-leaf tree of the certificate-transparency reference implementations' test data, as
 * kept by transparency-dev/merkle (Apache-2.0): the leaf inputs, node and root hashes from testonly/constants.go
 * (LeafInputs, NodeHashes, RootHashes), and the inclusion and consistency proofs from cmd/proofgen/main.go
 * (inclusionProofs, consistencyProofs; leaf indexes there count from 1, here from 0), which generates that
 * repository's testdata/inclusion and testdata/consistency probes. The hashing of RFC 6962 and RFC 9162 is the same.
 */
class Rfc9162VectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final String[] LEAF_INPUTS = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

    private static final String[][] NODE_HASHES = {
        {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
        {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
        {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
        {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"}};

    /** Root hashes for tree sizes 0 to 8. */
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

    private record Inclusion(long index, long size, String... proof) {
    }

    private record Consistency(long from, long to, String... proof) {
    }

    private static final List<Inclusion> INCLUSION = List.of(
            new Inclusion(0, 1),
            new Inclusion(0, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new Inclusion(5, 8,
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new Inclusion(2, 3,
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            new Inclusion(1, 5,
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));

    private static final List<Consistency> CONSISTENCY = List.of(
            new Consistency(1, 1),
            new Consistency(1, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new Consistency(6, 8,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new Consistency(2, 5,
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            new Consistency(6, 7,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));

    private static InMemoryTree tree() {
        List<byte[]> leafHashes = new ArrayList<>();
        for (String input : LEAF_INPUTS) {
            leafHashes.add(Rfc9162.leafHash(HEX.parseHex(input)));
        }
        return InMemoryTree.of(leafHashes);
    }

    private static List<byte[]> hashes(String... hex) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hex) {
            out.add(HEX.parseHex(h));
        }
        return out;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    @Test
    void nodeHashesOfEveryCompleteSubtreeMatchTheVectors() {
        InMemoryTree tree = tree();
        for (int level = 0; level < NODE_HASHES.length; level++) {
            for (int index = 0; index < NODE_HASHES[level].length; index++) {
                assertThat(HEX.formatHex(tree.hashes(List.of(new NodeId(level, index))).get(0)))
                        .as("node (%d, %d)", level, index).isEqualTo(NODE_HASHES[level][index]);
            }
        }
    }

    @Test
    void rootHashOfEverySizeMatchesTheVectors() {
        InMemoryTree tree = tree();
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(tree.rootHash(size))).as("size %d", size).isEqualTo(ROOTS[size]);
            assertThat(HEX.formatHex(InMemoryTree.of(leafHashesUpTo(size)).rootHash())).isEqualTo(ROOTS[size]);
        }
    }

    @Test
    void inclusionProofsAreGeneratedAsPublishedAndVerify() {
        InMemoryTree tree = tree();
        for (Inclusion vector : INCLUSION) {
            assertThat(hex(tree.inclusionProof(vector.index(), vector.size())))
                    .as("PATH(%d, D[%d])", vector.index(), vector.size()).containsExactly(vector.proof());
            byte[] leafHash = Rfc9162.leafHash(HEX.parseHex(LEAF_INPUTS[(int) vector.index()]));
            assertThat(ProofVerifier.verifyInclusion(vector.index(), vector.size(), leafHash,
                    hashes(vector.proof()), HEX.parseHex(ROOTS[(int) vector.size()]))).isTrue();
        }
    }

    @Test
    void consistencyProofsAreGeneratedAsPublishedAndVerify() {
        InMemoryTree tree = tree();
        for (Consistency vector : CONSISTENCY) {
            assertThat(hex(tree.consistencyProof(vector.from(), vector.to())))
                    .as("PROOF(%d, D[%d])", vector.from(), vector.to()).containsExactly(vector.proof());
            assertThat(ProofVerifier.verifyConsistency(vector.from(), vector.to(),
                    HEX.parseHex(ROOTS[(int) vector.from()]), HEX.parseHex(ROOTS[(int) vector.to()]),
                    hashes(vector.proof()))).isTrue();
        }
    }

    /** The kinds of corruption transparency-dev/merkle's proofgen derives its failing probes from. */
    @Test
    void corruptedInclusionProbesFail() {
        byte[] someHash = HEX.parseHex("abacaba000000000000000000000000000000000000000000060061e00123456");
        for (Inclusion vector : INCLUSION) {
            long i = vector.index();
            long n = vector.size();
            byte[] root = HEX.parseHex(ROOTS[(int) n]);
            byte[] leaf = Rfc9162.leafHash(HEX.parseHex(LEAF_INPUTS[(int) i]));
            List<byte[]> proof = hashes(vector.proof());
            assertThat(ProofVerifier.verifyInclusion(i - 1, n, leaf, proof, root)).as("index - 1").isFalse();
            assertThat(ProofVerifier.verifyInclusion(i + 1, n, leaf, proof, root)).as("index + 1").isFalse();
            assertThat(ProofVerifier.verifyInclusion(i ^ 2, n, leaf, proof, root)).as("index ^ 2").isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n * 2, leaf, proof, root)).as("size * 2").isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n / 2, leaf, proof, root)).as("size / 2").isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, "WrongLeaf".getBytes(), proof, root)).isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, leaf, proof, Rfc9162.emptyRoot())).isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, leaf, proof, someHash)).isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, leaf, append(proof, root), root)).as("trailing root")
                    .isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, leaf, prepend(root, proof), root)).as("preceding root")
                    .isFalse();
            assertThat(ProofVerifier.verifyInclusion(i, n, leaf, append(proof, new byte[0]), root)).isFalse();
            for (int p = 0; p < proof.size(); p++) {
                List<byte[]> flipped = copy(proof);
                flipped.get(p)[0] ^= 8;
                assertThat(ProofVerifier.verifyInclusion(i, n, leaf, flipped, root)).as("bit 3 of proof[%d]", p)
                        .isFalse();
            }
            if (!proof.isEmpty()) {
                assertThat(ProofVerifier.verifyInclusion(i, n, leaf, proof.subList(0, proof.size() - 1), root))
                        .as("removed component").isFalse();
            }
        }
    }

    @Test
    void corruptedConsistencyProbesFail() {
        for (Consistency vector : CONSISTENCY) {
            long m = vector.from();
            long n = vector.to();
            byte[] root1 = HEX.parseHex(ROOTS[(int) m]);
            byte[] root2 = HEX.parseHex(ROOTS[(int) n]);
            List<byte[]> proof = hashes(vector.proof());
            if (m != n) {
                assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, List.of())).as("empty").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m, n, root2, root1, proof)).as("swapped roots").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m - 1, n, root1, root2, proof)).as("from - 1").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m + 1, n, root1, root2, proof)).as("from + 1").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m ^ 2, n, root1, root2, proof)).as("from ^ 2").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m, n * 2, root1, root2, proof)).as("to * 2").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m, n / 2, root1, root2, proof)).as("to / 2").isFalse();
                assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, proof.subList(0, proof.size() - 1)))
                        .as("truncated").isFalse();
                for (int p = 0; p < proof.size(); p++) {
                    List<byte[]> flipped = copy(proof);
                    flipped.get(p)[0] ^= 16;
                    assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, flipped)).as("bit 4 of [%d]", p)
                            .isFalse();
                }
            }
            assertThat(ProofVerifier.verifyConsistency(m, n, Rfc9162.emptyRoot(), root2, proof)).as("wrong root1")
                    .isFalse();
            assertThat(ProofVerifier.verifyConsistency(m, n, root1, Rfc9162.emptyRoot(), proof)).as("wrong root2")
                    .isFalse();
            assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, append(proof, root2))).as("trailing root2")
                    .isFalse();
            assertThat(ProofVerifier.verifyConsistency(m, n, root1, root2, prepend(root1, proof)))
                    .as("preceding root1").isFalse();
        }
        // Sizes outside 0 < from <= to are refused (transparency-dev/merkle's "additional" probes).
        byte[] root = HEX.parseHex(ROOTS[1]);
        assertThat(ProofVerifier.verifyConsistency(0, 0, Rfc9162.emptyRoot(), Rfc9162.emptyRoot(), List.of()))
                .isFalse();
        assertThat(ProofVerifier.verifyConsistency(0, 1, Rfc9162.emptyRoot(), root, List.of())).isFalse();
        assertThat(ProofVerifier.verifyConsistency(2, 1, root, root, List.of())).isFalse();
        assertThat(ProofVerifier.verifyConsistency(1, 1, root, HEX.parseHex(ROOTS[2]), List.of())).isFalse();
        assertThat(ProofVerifier.verifyConsistency(1, 1, root, root, List.of(root))).isFalse();
    }

    private static List<byte[]> leafHashesUpTo(int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            out.add(Rfc9162.leafHash(HEX.parseHex(LEAF_INPUTS[i])));
        }
        return out;
    }

    private static List<byte[]> copy(List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] hash : proof) {
            out.add(hash.clone());
        }
        return out;
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = copy(proof);
        out.add(extra.clone());
        return out;
    }

    private static List<byte[]> prepend(byte[] extra, List<byte[]> proof) {
        List<byte[]> out = new ArrayList<>();
        out.add(extra.clone());
        out.addAll(copy(proof));
        return out;
    }
}
