package org.treatmentledger.verify.note;

/** A note that does not verify against the trusted keys; the message says why in one sentence. */
public class NoteVerificationException extends Exception {

    public enum Reason {
        /** The note is not a well-formed signed note. */
        MALFORMED,
        /** No signature is from a trusted key. */
        NO_TRUSTED_SIGNATURE,
        /** A signature from a trusted key (name and key ID) does not verify. */
        BAD_SIGNATURE
    }

    private final Reason reason;

    public NoteVerificationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
