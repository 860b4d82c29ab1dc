package org.treatmentledger.verify.note;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 note signing key. Its text form is the one golang.org/x/mod/sumdb/note uses, so keys can be shared
 * with that ecosystem's tools: {@code PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte private key)>}.
 */
public final class NoteSigner {

    private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

    private final String name;
    private final byte[] seed;
    private final VerifierKey verifierKey;

    private NoteSigner(String name, byte[] seed) {
        if (!NoteText.isValidName(name)) {
            throw new NoteFormatException("not a valid key name: " + name);
        }
        this.name = name;
        this.seed = seed.clone();
        this.verifierKey = VerifierKey.ed25519(name, Ed25519.publicKeyOf(seed));
    }

    /** A signer for the RFC 8032 private key {@code seed} (32 bytes). */
    public static NoteSigner fromSeed(String name, byte[] seed) {
        return new NoteSigner(name, seed);
    }

    /**
     * The same private key signing under another key name: one ledger key signs each of its logs (the event log,
     * the access log) under that log's origin, so a reviewer trusts one public key for both.
     */
    public NoteSigner withName(String otherName) {
        return new NoteSigner(otherName, seed);
    }

    public static NoteSigner generate(String name, SecureRandom random) {
        return new NoteSigner(name, Ed25519.generateSeed(random));
    }

    public static NoteSigner parse(String privateKey) {
        String text = privateKey.strip();
        if (!text.startsWith(PRIVATE_PREFIX)) {
            throw new NoteFormatException("a private key starts with " + PRIVATE_PREFIX);
        }
        String[] parts = text.substring(PRIVATE_PREFIX.length()).split("\\+", 3);
        if (parts.length != 3 || !parts[1].matches("[0-9a-fA-F]{8}")) {
            throw new NoteFormatException("a private key is PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>");
        }
        byte[] typed = NoteText.strictBase64(parts[2]);
        if (typed == null || typed.length != 1 + Ed25519.KEY_SIZE || typed[0] != NoteKeys.ED25519) {
            throw new NoteFormatException("the private key is not an Ed25519 key (type 0x01 and 32 bytes)");
        }
        NoteSigner signer = new NoteSigner(parts[0], Arrays.copyOfRange(typed, 1, typed.length));
        if (signer.keyId() != (int) Long.parseLong(parts[1], 16)) {
            throw new NoteFormatException("the private key's key ID does not match its key");
        }
        return signer;
    }

    public String formatPrivateKey() {
        byte[] typed = new byte[1 + seed.length];
        typed[0] = NoteKeys.ED25519;
        System.arraycopy(seed, 0, typed, 1, seed.length);
        return PRIVATE_PREFIX + name + "+" + NoteKeys.hex(keyId()) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return verifierKey.keyId();
    }

    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /** Signs a note text (which must end in a newline, as every note text does). */
    public NoteSignature sign(String text) {
        if (!text.endsWith("\n") || !NoteText.isWellFormed(text)) {
            throw new NoteFormatException("a note text ends in a newline and has no other control characters");
        }
        return new NoteSignature(name, keyId(), Ed25519.sign(seed, NoteText.utf8(text)));
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifierKey.format() + "]";
    }
}
