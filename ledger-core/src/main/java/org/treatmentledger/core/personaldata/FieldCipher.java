package org.treatmentledger.core.personaldata;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * One personal field's value as stored: {@code pd1:<subject>:<base64url(nonce | AES-256-GCM ciphertext and tag)>}.
 * The subject is in the envelope so a reader finds the key without the rest of the event; the associated data is
 * the subject and the field's name, so a ciphertext moved to another patient or another field fails its tag.
 * A fresh 96-bit random nonce per value (NIST SP 800-38D's limit of 2^32 values per key is far above one patient's).
 */
public final class FieldCipher {

    static final String PREFIX = "pd1:";
    private static final int NONCE = AesGcm.NONCE_BYTES;
    private static final int TAG_BITS = 128;

    private FieldCipher() { }

    public static boolean isEnvelope(String text) {
        return text != null && text.startsWith(PREFIX) && text.indexOf(':', PREFIX.length()) > 0;
    }

    /** The subject an envelope names (as {@link #isEnvelope} accepted it). */
    public static String subjectOf(String envelope) {
        return envelope.substring(PREFIX.length(), envelope.lastIndexOf(':'));
    }

    public static String encrypt(SecretKey key, String subject, String field, byte[] plaintext) {
        byte[] nonce = AesGcm.nonce();
        try {
            Cipher cipher = AesGcm.cipher();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(subject, field));
            byte[] out = new byte[NONCE + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE);
            return PREFIX + subject + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a personal field", e);
        }
    }

    /**
     * The plaintext of {@code envelope}.
     *
     * @throws IllegalArgumentException when it is not an envelope, or its tag fails under {@code key}
     *                                  (another key, subject or field: tampered or misplaced, never silently null)
     */
    public static byte[] decrypt(SecretKey key, String envelope, String field) {
        if (!isEnvelope(envelope)) throw new IllegalArgumentException("not an encrypted personal field");
        String subject = subjectOf(envelope);
        byte[] in = Base64.getUrlDecoder().decode(envelope.substring(envelope.lastIndexOf(':') + 1));
        if (in.length < NONCE + TAG_BITS / 8) throw new IllegalArgumentException("encrypted personal field too short");
        try {
            Cipher cipher = AesGcm.cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE));
            cipher.updateAAD(aad(subject, field));
            return cipher.doFinal(in, NONCE, in.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("encrypted personal field '" + field + "' of subject " + subject
                    + " does not verify under its key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a personal field", e);
        }
    }

    private static byte[] aad(String subject, String field) {
        return (subject + '\u0000' + field).getBytes(StandardCharsets.UTF_8);
    }
}
