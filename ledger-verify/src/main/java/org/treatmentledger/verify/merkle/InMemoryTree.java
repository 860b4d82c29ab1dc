package org.treatmentledger.verify.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole tree in memory: every complete subtree's hash by level and index. It is the {@link NodeSource} for tests
 * and for anyone holding all leaf hashes (the server's full re-verification, a reviewer with an export).
 */
public final class InMemoryTree implements NodeSource {

    private final List<List<byte[]>> levels = new ArrayList<>();
    private final TreeAppender appender = new TreeAppender();

    public static InMemoryTree of(List<byte[]> leafHashes) {
        InMemoryTree tree = new InMemoryTree();
        for (byte[] leafHash : leafHashes) {
            tree.append(leafHash);
        }
        return tree;
    }

    /** Appends a leaf hash (SHA-256(0x00 || leaf bytes)). */
    public void append(byte[] leafHash) {
        for (StoredNode stored : appender.append(leafHash)) {
            NodeId node = stored.node();
            while (levels.size() <= node.level()) {
                levels.add(new ArrayList<>());
            }
            List<byte[]> level = levels.get(node.level());
            if (level.size() != node.index()) {
                throw new IllegalStateException("nodes must arrive in order: " + node + " after " + level.size());
            }
            level.add(stored.hash());
        }
    }

    public long size() {
        return appender.size();
    }

    public byte[] rootHash() {
        return appender.rootHash();
    }

    public byte[] rootHash(long size) {
        requireSize(size);
        return new ProofGenerator(this).rootHash(size);
    }

    public byte[] leafHash(long index) {
        return hashes(List.of(new NodeId(0, index))).get(0);
    }

    public List<byte[]> inclusionProof(long index, long size) {
        requireSize(size);
        return new ProofGenerator(this).inclusionProof(index, size);
    }

    public List<byte[]> consistencyProof(long from, long to) {
        requireSize(to);
        return new ProofGenerator(this).consistencyProof(from, to);
    }

    @Override
    public List<byte[]> hashes(List<NodeId> nodes) {
        List<byte[]> answer = new ArrayList<>(nodes.size());
        for (NodeId node : nodes) {
            if (node.level() >= levels.size() || node.index() >= levels.get(node.level()).size()) {
                throw new IllegalStateException("no complete subtree " + node + " in a tree of size " + size());
            }
            answer.add(Rfc9162.copy(levels.get(node.level()).get((int) node.index())));
        }
        return answer;
    }

    private void requireSize(long size) {
        if (size < 0 || size > size()) {
            throw new IllegalArgumentException("size " + size + " is outside the tree's 0.." + size());
        }
    }
}
