package org.treatmentledger.core.personaldata;

/** Personal data of an erased subject was about to be written: its key is gone, so it cannot be. */
public class SubjectErasedException extends IllegalStateException {

    private final String subject;

    public SubjectErasedException(String subject) {
        super("the data key of subject " + subject + " is destroyed (erased); no personal data can be written for it");
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
