package org.treatmentledger.core.personaldata;

import javax.crypto.SecretKey;

/**
 * The data keys of the data subjects (patients), one AES-256 key each. The service keeps them in a table of their
 * own, wrapped by a key-encryption key; an external key management service can implement this instead.
 */
public interface SubjectKeys {

    /**
     * The subject's key to encrypt with, created on first use.
     *
     * @throws SubjectErasedException when the subject's key was destroyed: nothing new may be written for it
     */
    SecretKey forWriting(String subject);

    /** The subject's key to decrypt with, or null when it was destroyed (the subject was erased) or never existed. */
    SecretKey forReading(String subject);

    /** No keys at all: every encrypted field reads as erased, and nothing personal can be written. */
    SubjectKeys NONE = new SubjectKeys() {
        @Override
        public SecretKey forWriting(String subject) {
            throw new SubjectErasedException(subject);
        }

        @Override
        public SecretKey forReading(String subject) {
            return null;
        }
    };
}
