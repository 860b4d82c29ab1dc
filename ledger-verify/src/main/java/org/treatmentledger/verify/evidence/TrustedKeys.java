package org.treatmentledger.verify.evidence;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.treatmentledger.verify.note.NoteFormatException;
import org.treatmentledger.verify.note.NoteVerifier;
import org.treatmentledger.verify.note.VerifierKey;

/**
 * The public keys a reviewer trusts, as given to the verifier: signed-note vkeys ({@code name+keyid+base64}) and raw
 * keys (the base64 of the 32-byte Ed25519 key, as the API's {@code publicKey} field has it). A raw key has no name
 * of its own; it is taken to be the key of the checkpoint's origin, since the ledger signs under its origin. Several
 * keys may be trusted at once (key rotation).
 */
public final class TrustedKeys {

    private final List<VerifierKey> named;
    private final List<byte[]> raw;

    private TrustedKeys(List<VerifierKey> named, List<byte[]> raw) {
        this.named = List.copyOf(named);
        this.raw = List.copyOf(raw);
        if (this.named.isEmpty() && this.raw.isEmpty()) {
            throw new NoteFormatException("no key given");
        }
    }

    public static TrustedKeys of(VerifierKey... keys) {
        return new TrustedKeys(List.of(keys), List.of());
    }

    public static TrustedKeys ofRaw(byte[]... publicKeys) {
        return new TrustedKeys(List.of(), List.of(publicKeys));
    }

    /**
     * Reads keys, one a line; blank lines and lines starting with # are skipped. Each line is a vkey or the base64
     * of a raw 32-byte key.
     */
    public static TrustedKeys parse(String text) {
        List<VerifierKey> named = new ArrayList<>();
        List<byte[]> raw = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\r?\n", -1)) {
            number++;
            String key = line.strip();
            if (key.isEmpty() || key.startsWith("#")) {
                continue;
            }
            try {
                // A raw key is 44 base64 characters; a vkey is longer (name, '+', 8 hex digits, '+', 44 characters).
                byte[] rawKey = rawKey(key);
                if (rawKey != null) {
                    raw.add(rawKey);
                } else {
                    named.add(VerifierKey.parse(key));
                }
            } catch (NoteFormatException e) {
                throw new NoteFormatException("line " + number + " is not a key: " + e.getMessage());
            }
        }
        return new TrustedKeys(named, raw);
    }

    public TrustedKeys and(TrustedKeys other) {
        List<VerifierKey> named = new ArrayList<>(this.named);
        named.addAll(other.named);
        List<byte[]> raw = new ArrayList<>(this.raw);
        raw.addAll(other.raw);
        return new TrustedKeys(named, raw);
    }

    /** The verifier for notes of a log with this origin: the named keys, and the raw keys under the origin's name. */
    public NoteVerifier verifierFor(String origin) {
        List<VerifierKey> keys = new ArrayList<>(named);
        for (byte[] key : raw) {
            try {
                keys.add(VerifierKey.ed25519(origin, key));
            } catch (NoteFormatException e) {
                // An origin that is no valid key name can only be verified with named keys.
            }
        }
        if (keys.isEmpty()) {
            throw new NoteFormatException("the origin " + origin + " is not a valid key name, so only a named key"
                    + " (vkey) can verify it");
        }
        return new NoteVerifier(keys);
    }

    /** The key if the text is the canonical base64 of 32 bytes, else null. */
    private static byte[] rawKey(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            return key.length == 32 && Base64.getEncoder().encodeToString(key).equals(base64) ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
