package org.treatmentledger.verify.note;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** One signature line of a note: {@code — <key name> base64(32-bit key ID || signature)}. */
public record NoteSignature(String name, int keyId, byte[] signature) {

    /** The em dash (U+2014) and space that start every signature line. */
    public static final String LINE_PREFIX = "\u2014 ";

    public NoteSignature {
        if (!NoteText.isValidName(name)) {
            throw new NoteFormatException("not a valid key name: " + name);
        }
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
            throw new NoteFormatException("a signature has at least one byte after its key ID");
        }
        signature = signature.clone();
    }

    /** Parses one line without its newline; null if it is not a signature line. */
    static NoteSignature parseLine(String line) {
        if (!line.startsWith(LINE_PREFIX)) {
            return null;
        }
        String rest = line.substring(LINE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String name = rest.substring(0, space);
        byte[] raw = NoteText.strictBase64(rest.substring(space + 1));
        if (!NoteText.isValidName(name) || raw == null || raw.length < 5) {
            return null;
        }
        int keyId = ByteBuffer.wrap(raw, 0, 4).getInt();
        return new NoteSignature(name, keyId, Arrays.copyOfRange(raw, 4, raw.length));
    }

    public String line() {
        byte[] raw = ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
        return LINE_PREFIX + name + " " + Base64.getEncoder().encodeToString(raw);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature other && name.equals(other.name) && keyId == other.keyId
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return line();
    }
}
