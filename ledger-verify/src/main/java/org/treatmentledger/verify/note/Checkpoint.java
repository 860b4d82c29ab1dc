package org.treatmentledger.verify.note;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.treatmentledger.verify.merkle.Rfc9162;

/**
 * The text of a c2sp.org/tlog-checkpoint: origin line, tree size line (decimal, no leading zeros), base64 root hash
 * line, then optional non-empty extension lines, each ending in a newline. Signed, it is a {@link SignedNote}.
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {

    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        if (origin.isEmpty() || origin.contains("\n") || !NoteText.isWellFormed(origin)) {
            throw new NoteFormatException("the origin is one non-empty line");
        }
        if (treeSize < 0) {
            throw new NoteFormatException("the tree size must not be negative");
        }
        if (rootHash == null || rootHash.length != Rfc9162.HASH_SIZE) {
            throw new NoteFormatException("the root hash is " + Rfc9162.HASH_SIZE + " bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            if (line.isEmpty() || line.contains("\n") || !NoteText.isWellFormed(line)) {
                throw new NoteFormatException("extension lines are non-empty single lines");
            }
        }
    }

    public Checkpoint(String origin, long treeSize, byte[] rootHash) {
        this(origin, treeSize, rootHash, List.of());
    }

    public static Checkpoint parse(String text) {
        if (!text.endsWith("\n")) {
            throw new NoteFormatException("a checkpoint text ends in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("a checkpoint has an origin, a tree size and a root hash line");
        }
        for (String line : lines) {
            if (line.isEmpty()) {
                throw new NoteFormatException("a checkpoint has no empty lines");
            }
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("the tree size line is not a decimal number without leading zeros: "
                    + lines[1]);
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("the tree size is too large: " + lines[1]);
        }
        byte[] root = NoteText.strictBase64(lines[2]);
        if (root == null || root.length != Rfc9162.HASH_SIZE) {
            throw new NoteFormatException("the root hash line is not the base64 of 32 bytes: " + lines[2]);
        }
        return new Checkpoint(lines[0], size, root, new ArrayList<>(Arrays.asList(lines).subList(3, lines.length)));
    }

    /** The note text: the lines, each ending in a newline. */
    public String text() {
        StringBuilder out = new StringBuilder()
                .append(origin).append('\n')
                .append(treeSize).append('\n')
                .append(rootHashBase64()).append('\n');
        for (String line : extensions) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    public SignedNote sign(NoteSigner... signers) {
        return SignedNote.sign(text(), signers);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    public String rootHashBase64() {
        return Base64.getEncoder().encodeToString(rootHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint other && text().equals(other.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    @Override
    public String toString() {
        return text();
    }
}
