package org.treatmentledger.core.personaldata;

import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/** Data keys held in memory only: for tests and the bench, which keep nothing beyond the process. */
public final class InMemorySubjectKeys implements SubjectKeys {

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();

    @Override
    public SecretKey forWriting(String subject) {
        if (destroyed.contains(subject)) throw new SubjectErasedException(subject);
        return keys.computeIfAbsent(subject, s -> newKey());
    }

    @Override
    public SecretKey forReading(String subject) {
        return keys.get(subject);
    }

    /** Forgets the subject's key for good. */
    public void destroy(String subject) {
        destroyed.add(subject);
        keys.remove(subject);
    }

    // KeyGenerator.getInstance looks the provider up each time; generators are not thread-safe.
    private static final ThreadLocal<KeyGenerator> GENERATORS = ThreadLocal.withInitial(() -> {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, Randomness.SOURCE);
            return generator;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no AES", e);
        }
    });

    /** A new random AES-256 key. */
    public static SecretKey newKey() {
        return GENERATORS.get().generateKey();
    }
}
