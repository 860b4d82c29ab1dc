package org.treatmentledger.verify.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The hashing of RFC 9162 (Certificate Transparency 2.0) section 2.1.1 with SHA-256: leaf hash =
 * SHA-256(0x00 || leaf bytes), interior node = SHA-256(0x01 || left || right), empty tree = SHA-256 of nothing.
 */
public final class Rfc9162 {

    /** Every hash in the tree is a SHA-256 output. */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final byte[] EMPTY_ROOT = sha256(new byte[0]);

    private Rfc9162() {
    }

    public static byte[] sha256(byte[] data) {
        MessageDigest digest = newDigest();
        return digest.digest(data);
    }

    public static byte[] leafHash(byte[] leaf) {
        MessageDigest digest = newDigest();
        digest.update(LEAF_PREFIX);
        digest.update(leaf);
        return digest.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        requireHash(left, "left");
        requireHash(right, "right");
        MessageDigest digest = newDigest();
        digest.update(NODE_PREFIX);
        digest.update(left);
        digest.update(right);
        return digest.digest();
    }

    /** MTH({}) of RFC 9162 section 2.1.1: the hash of an empty string. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    static void requireHash(byte[] hash, String what) {
        if (hash == null || hash.length != HASH_SIZE) {
            throw new IllegalArgumentException(what + " must be a " + HASH_SIZE + "-byte hash");
        }
    }

    static boolean isHash(byte[] hash) {
        return hash != null && hash.length == HASH_SIZE;
    }

    /** Constant-time comparison, so a verifier answers in the same time however many bytes of a hash match. */
    static boolean same(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    /** The largest power of two smaller than n (n > 1): the split point k of RFC 9162 section 2.1.1. */
    static long largestPowerOfTwoBelow(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("n must be at least 2: " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    static byte[] copy(byte[] hash) {
        return Arrays.copyOf(hash, hash.length);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
