package org.treatmentledger.verify.evidence;

import org.treatmentledger.verify.Encodings;
import java.util.Arrays;
import java.util.List;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteFormatException;
import org.treatmentledger.verify.note.NoteKeys;
import org.treatmentledger.verify.note.NoteSignature;
import org.treatmentledger.verify.note.NoteVerificationException;
import org.treatmentledger.verify.note.NoteVerifier;
import org.treatmentledger.verify.note.SignedNote;
import org.treatmentledger.verify.note.VerifierKey;

/** Opens a checkpoint note with the trusted keys, and checks a checkpoint document's fields against its note. */
public final class CheckpointVerifier {

    /** A checkpoint whose note verified, and the trusted signature that verified it. */
    public record VerifiedCheckpoint(Checkpoint checkpoint, NoteSignature signature, VerifierKey key) {
    }

    private CheckpointVerifier() {
    }

    /** Verifies a signed checkpoint note; {@code what} names it in the sentence ("The checkpoint", "The saved checkpoint"). */
    public static VerifiedCheckpoint verifyNote(String note, TrustedKeys keys, String what) throws Refused {
        SignedNote signed;
        Checkpoint checkpoint;
        try {
            signed = SignedNote.parse(note);
            checkpoint = Checkpoint.parse(signed.text());
        } catch (NoteFormatException e) {
            throw new Refused(Verdict.fail(Verdict.Failure.MALFORMED,
                    what + " is not a well-formed signed checkpoint: " + e.getMessage() + "."));
        }
        NoteVerifier verifier;
        try {
            verifier = keys.verifierFor(checkpoint.origin());
        } catch (NoteFormatException e) {
            throw new Refused(Verdict.fail(Verdict.Failure.CHECKPOINT_NOT_TRUSTED, what + " cannot be checked: "
                    + e.getMessage() + "."));
        }
        try {
            NoteVerifier.OpenedNote opened = verifier.open(signed);
            NoteSignature signature = opened.verified().get(0);
            VerifierKey key = verifier.keys().stream()
                    .filter(k -> k.name().equals(signature.name()) && k.keyId() == signature.keyId())
                    .findFirst().orElseThrow();
            return new VerifiedCheckpoint(checkpoint, signature, key);
        } catch (NoteVerificationException e) {
            throw new Refused(Verdict.fail(Verdict.Failure.CHECKPOINT_NOT_TRUSTED, what + " of " + checkpoint.origin()
                    + " (tree size " + checkpoint.treeSize() + ") is not trusted: " + lowerFirst(e.getMessage())));
        }
    }

    /** Verifies a checkpoint document: its note with the trusted keys, then that every other field agrees with it. */
    public static VerifiedCheckpoint verifyDocument(CheckpointDocument document, TrustedKeys keys, String what)
            throws Refused {
        VerifiedCheckpoint verified = verifyNote(document.note(), keys, what);
        Checkpoint checkpoint = verified.checkpoint();
        byte[] rootHash = strictBase64(document.rootHash());
        if (!document.origin().equals(checkpoint.origin())) {
            throw fieldsAltered(what, "origin", checkpoint);
        }
        if (document.treeSize() != checkpoint.treeSize()) {
            throw fieldsAltered(what, "treeSize", checkpoint);
        }
        if (rootHash == null || !Arrays.equals(rootHash, checkpoint.rootHash())) {
            throw fieldsAltered(what, "rootHash", checkpoint);
        }
        // keyId and publicKey name the key the server signed with: they must be one key, and it must have signed.
        byte[] publicKey = strictBase64(document.publicKey());
        VerifierKey declared;
        try {
            declared = VerifierKey.ed25519(checkpoint.origin(), publicKey);
        } catch (RuntimeException e) {
            throw fieldsAltered(what, "publicKey", checkpoint);
        }
        if (!NoteKeys.hex(declared.keyId()).equals(document.keyId())) {
            throw fieldsAltered(what, "keyId", checkpoint);
        }
        // Usually the declared key is the trusted key that just verified the note; only otherwise check it again.
        boolean signedByDeclared = verified.signature().name().equals(declared.name())
                && verified.signature().keyId() == declared.keyId() && verified.key().equals(declared);
        for (NoteSignature signature : signedByDeclared ? List.<NoteSignature>of()
                : SignedNote.parse(document.note()).signatures()) {
            if (signature.name().equals(declared.name()) && signature.keyId() == declared.keyId()
                    && declared.verifies(checkpoint.text(), signature.signature())) {
                signedByDeclared = true;
            }
        }
        if (!signedByDeclared) {
            throw fieldsAltered(what, "publicKey", checkpoint);
        }
        return verified;
    }

    static byte[] strictBase64(String text) {
        return Encodings.strictBase64(text);
    }

    private static Refused fieldsAltered(String what, String field, Checkpoint checkpoint) {
        return new Refused(Verdict.fail(Verdict.Failure.CHECKPOINT_FIELDS_ALTERED, what + "'s \"" + field
                + "\" field does not match its signed note (" + checkpoint.origin() + ", tree size "
                + checkpoint.treeSize() + "): the bundle was edited after it was issued."));
    }

    private static String lowerFirst(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }
}
