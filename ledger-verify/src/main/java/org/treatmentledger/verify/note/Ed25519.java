package org.treatmentledger.verify.note;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;

/** RFC 8032 Ed25519 with the JDK's own provider, on raw 32-byte keys as signed notes carry them. */
final class Ed25519 {

    static final int KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    // SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): this fixed prefix, then the 32 key bytes.
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519() {
    }

    static PublicKey publicKey(byte[] raw) {
        if (raw == null || raw.length != KEY_SIZE) {
            throw new NoteFormatException("an Ed25519 public key is " + KEY_SIZE + " bytes");
        }
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_SIZE);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, KEY_SIZE);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new NoteFormatException("not an Ed25519 public key");
        }
    }

    static PrivateKey privateKey(byte[] seed) {
        requireSeed(seed);
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /**
     * The public key of a 32-byte private key (RFC 8032 section 5.1.5). The JDK has no public API for this, but its
     * key pair generator takes the private key bytes from the random source it is given, so a source that answers
     * the seed yields the seed's key pair. The result is checked by a signature, so a JDK that behaves otherwise
     * fails loudly instead of producing a wrong key.
     */
    static byte[] publicKeyOf(byte[] seed) {
        requireSeed(seed);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - KEY_SIZE, encoded.length);
            byte[] probe = "ledger-verify key check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(raw, probe, sign(seed, probe))) {
                throw new IllegalStateException("the JDK's Ed25519 key pair generator did not use the given seed");
            }
            return raw;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    static byte[] generateSeed(SecureRandom random) {
        byte[] seed = new byte[KEY_SIZE];
        random.nextBytes(seed);
        return seed;
    }

    static byte[] sign(byte[] seed, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey(seed));
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static boolean verify(byte[] publicKey, byte[] message, byte[] signatureBytes) {
        if (signatureBytes == null || signatureBytes.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(publicKey(publicKey));
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A malformed key or signature is a failed verification, not an error of the verifier.
            return false;
        }
    }

    private static void requireSeed(byte[] seed) {
        if (seed == null || seed.length != KEY_SIZE) {
            throw new NoteFormatException("an Ed25519 private key is " + KEY_SIZE + " bytes");
        }
    }

    /** Answers the seed once; anything else asked of it is a misuse. */
    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;
        private boolean used;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (used || bytes.length != seed.length) {
                throw new IllegalStateException("unexpected use of the seed source");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
            used = true;
        }
    }
}
