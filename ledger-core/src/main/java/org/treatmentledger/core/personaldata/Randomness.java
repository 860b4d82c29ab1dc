package org.treatmentledger.core.personaldata;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The random source of nonces and new keys: the JDK's DRBG (NIST SP 800-90A Hash_DRBG) at 256-bit strength, seeded
 * by the operating system. {@code new SecureRandom()} on Linux is NativePRNG, which reads {@code /dev/urandom}
 * under a global lock on every call; a profile of the command path found it there for every new patient
 * (docs/PERFORMANCE.md). Thread-safe.
 */
public final class Randomness {

    public static final SecureRandom SOURCE = create();

    private Randomness() { }

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no DRBG", e);
        }
    }
}
