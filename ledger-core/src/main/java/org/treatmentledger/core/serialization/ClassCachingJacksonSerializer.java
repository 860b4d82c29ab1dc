package org.treatmentledger.core.serialization;

import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Axon's Jackson serializer, with the classes of the stored type names kept once resolved: Axon's resolves the name
 * through {@code Class.forName} for every message it reads, which a profile of the read models found in every
 * event they handle (docs/PERFORMANCE.md). Unknown names are left to Axon's own handling (it remembers them itself),
 * and this map stops growing at {@link #MAX_TYPES}, far above the ledger's few dozen message types. Build it through
 * {@link LedgerJson#serializer}, which applies the lenient settings that Axon's {@code Builder.build()} would.
 */
final class ClassCachingJacksonSerializer extends JacksonSerializer {

    static final int MAX_TYPES = 1_000;

    private final ConcurrentHashMap<String, Class<?>> classes = new ConcurrentHashMap<>();

    ClassCachingJacksonSerializer(Builder builder) {
        super(builder);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) {
        Class<?> known = classes.get(type.getName());
        if (known != null) return known;
        Class resolved = super.classForType(type);
        if (resolved != UnknownSerializedType.class && resolved != Void.class && classes.size() < MAX_TYPES) {
            classes.put(type.getName(), resolved);
        }
        return resolved;
    }
}
