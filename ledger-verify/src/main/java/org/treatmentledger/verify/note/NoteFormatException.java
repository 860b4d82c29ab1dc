package org.treatmentledger.verify.note;

/** Text that is not a well-formed signed note, checkpoint or key. */
public class NoteFormatException extends IllegalArgumentException {

    public NoteFormatException(String message) {
        super(message);
    }
}
