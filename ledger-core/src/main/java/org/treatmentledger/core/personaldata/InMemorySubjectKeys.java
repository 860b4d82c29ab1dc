package org.treatmentledger.core.personaldata;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/** Data keys held in memory only: for tests and the bench, which keep nothing beyond the process. */
public final class InMemorySubjectKeys implements SubjectKeys {

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Set<String> destroyed = ConcurrentHashMap.newKeySet();

    @Override
    public SecretKey forWriting(String subject) {
        if (destroyed.contains(subject)) throw new SubjectErasedException(subject);
        return keys.computeIfAbsent(subject, s -> AesGcm.newKey());
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

}
