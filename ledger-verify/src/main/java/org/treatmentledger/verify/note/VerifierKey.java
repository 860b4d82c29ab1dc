package org.treatmentledger.verify.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A trusted Ed25519 note verification key: key name, key ID and the raw 32-byte public key. Its text form is the
 * signed-note vkey {@code <name>+<hex key ID>+<base64(0x01 || public key)>}.
 */
public record VerifierKey(String name, int keyId, byte[] publicKey) {

    public VerifierKey {
        if (!NoteText.isValidName(name)) {
            throw new NoteFormatException("not a valid key name: " + name);
        }
        Objects.requireNonNull(publicKey, "publicKey");
        publicKey = publicKey.clone();
        if (NoteKeys.ed25519KeyId(name, publicKey) != keyId) {
            throw new NoteFormatException("key ID " + NoteKeys.hex(keyId) + " does not belong to key " + name);
        }
        Ed25519.publicKey(publicKey);
    }

    public static VerifierKey ed25519(String name, byte[] publicKey) {
        return new VerifierKey(name, NoteKeys.ed25519KeyId(name, publicKey), publicKey);
    }

    public static VerifierKey parse(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3 || parts[1].length() != 8 || !parts[1].matches("[0-9a-fA-F]{8}")) {
            throw new NoteFormatException("a verifier key is <name>+<8 hex digits>+<base64 key>");
        }
        byte[] typed = NoteText.strictBase64(parts[2]);
        if (typed == null || typed.length != 1 + Ed25519.KEY_SIZE || typed[0] != NoteKeys.ED25519) {
            throw new NoteFormatException("the verifier key is not an Ed25519 key (type 0x01 and 32 bytes)");
        }
        int keyId = (int) Long.parseLong(parts[1], 16);
        return new VerifierKey(parts[0], keyId, Arrays.copyOfRange(typed, 1, typed.length));
    }

    public String format() {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = NoteKeys.ED25519;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return name + "+" + NoteKeys.hex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    /** Whether {@code signature} (without its key ID) is this key's Ed25519 signature of {@code text}. */
    public boolean verifies(String text, byte[] signature) {
        return Ed25519.verify(publicKey, NoteText.utf8(text), signature);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey other && name.equals(other.name) && keyId == other.keyId
                && Arrays.equals(publicKey, other.publicKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, keyId, Arrays.hashCode(publicKey));
    }

    @Override
    public String toString() {
        return format();
    }
}
