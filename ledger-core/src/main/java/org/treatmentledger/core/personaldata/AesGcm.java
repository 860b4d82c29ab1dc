package org.treatmentledger.core.personaldata;

import java.security.DrbgParameters;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The JDK's AES-256-GCM as personal fields ({@link FieldCipher}) and wrapped data keys (the service's key-encryption
 * keys) use it, set up once: random nonces and keys from the JDK's DRBG (NIST SP 800-90A Hash_DRBG at 256-bit
 * strength, seeded by the operating system), and one cipher and key generator per thread. A profile of the command
 * path found {@code new SecureRandom()} (NativePRNG, which reads {@code /dev/urandom} under a global lock on every
 * call) and the provider look-ups of {@code Cipher.getInstance} and {@code KeyGenerator.getInstance} for every new
 * patient (docs/PERFORMANCE.md).
 */
public final class AesGcm {

    /** GCM's 96-bit nonce. */
    public static final int NONCE_BYTES = 12;

    private static final SecureRandom RANDOM = drbg();
    // Ciphers and key generators are not thread-safe.
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES-GCM", e);
        }
    });
    private static final ThreadLocal<KeyGenerator> KEY_GENERATORS = ThreadLocal.withInitial(() -> {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            return generator;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES", e);
        }
    });

    private AesGcm() { }

    /** This thread's AES/GCM/NoPadding cipher; every use starts with {@code init} and a fresh nonce. */
    public static Cipher cipher() {
        return CIPHERS.get();
    }

    /** A fresh random nonce. */
    public static byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    /** A new random AES-256 key. */
    public static SecretKey newKey() {
        return KEY_GENERATORS.get().generateKey();
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no DRBG", e);
        }
    }
}
