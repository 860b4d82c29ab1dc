package org.treatmentledger.verify.note;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens signed notes with a set of trusted keys, by the rules of c2sp.org/signed-note: a key is known by its name
 * and key ID together; signatures of unknown keys are ignored (that is what lets a log rotate keys and witnesses
 * cosign); a known key's signature that fails rejects the whole note; at least one known key must have signed.
 * Several keys may be trusted at once, e.g. the old and the new key during a rotation.
 */
public final class NoteVerifier {

    private record KeyRef(String name, int keyId) {
    }

    private final Map<KeyRef, VerifierKey> keys = new LinkedHashMap<>();

    public NoteVerifier(List<VerifierKey> trusted) {
        for (VerifierKey key : trusted) {
            KeyRef ref = new KeyRef(key.name(), key.keyId());
            VerifierKey previous = keys.putIfAbsent(ref, key);
            if (previous != null && !previous.equals(key)) {
                // Two different keys with one name and ID: no signature could say which of them made it.
                throw new IllegalArgumentException("two trusted keys share the name and key ID " + key.name() + "+"
                        + NoteKeys.hex(key.keyId()));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one trusted key is needed");
        }
    }

    public static NoteVerifier of(VerifierKey... trusted) {
        return new NoteVerifier(List.of(trusted));
    }

    public List<VerifierKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The verified note: its text, the trusted signatures that verified, and the ignored ones of unknown keys. */
    public record OpenedNote(String text, List<NoteSignature> verified, List<NoteSignature> unknown) {
    }

    public OpenedNote open(String message) throws NoteVerificationException {
        SignedNote note;
        try {
            note = SignedNote.parse(message);
        } catch (NoteFormatException e) {
            throw new NoteVerificationException(NoteVerificationException.Reason.MALFORMED,
                    "The signed note is malformed: " + e.getMessage() + ".");
        }
        return open(note);
    }

    public OpenedNote open(SignedNote note) throws NoteVerificationException {
        List<NoteSignature> verified = new ArrayList<>();
        Set<NoteSignature> unknown = new LinkedHashSet<>();
        Set<KeyRef> seen = new LinkedHashSet<>();
        for (NoteSignature signature : note.signatures()) {
            KeyRef ref = new KeyRef(signature.name(), signature.keyId());
            VerifierKey key = keys.get(ref);
            if (key == null) {
                unknown.add(signature);
                continue;
            }
            if (!key.verifies(note.text(), signature.signature())) {
                throw new NoteVerificationException(NoteVerificationException.Reason.BAD_SIGNATURE,
                        "The signature of key " + signature.name() + " (key ID " + NoteKeys.hex(signature.keyId())
                                + ") does not match the note's text: the note was changed after it was signed.");
            }
            if (seen.add(ref)) {
                verified.add(signature);
            }
        }
        if (verified.isEmpty()) {
            throw new NoteVerificationException(NoteVerificationException.Reason.NO_TRUSTED_SIGNATURE,
                    "The note is not signed by any trusted key (it is signed by " + describe(unknown)
                            + "; trusted: " + describeKeys() + ").");
        }
        return new OpenedNote(note.text(), List.copyOf(verified), List.copyOf(unknown));
    }

    private static String describe(Set<NoteSignature> signatures) {
        List<String> names = new ArrayList<>();
        for (NoteSignature signature : signatures) {
            names.add(signature.name() + " key ID " + NoteKeys.hex(signature.keyId()));
        }
        return String.join(", ", names);
    }

    private String describeKeys() {
        List<String> names = new ArrayList<>();
        for (KeyRef ref : keys.keySet()) {
            names.add(ref.name() + " key ID " + NoteKeys.hex(ref.keyId()));
        }
        return String.join(", ", names);
    }
}
