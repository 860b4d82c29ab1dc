package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.SmileGenerator;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import org.axonframework.serialization.json.JacksonSerializer;

import java.time.Instant;

/**
 * The stored format of events, snapshots, tokens and messages. Dedicated to Axon on purpose: the web
 * layer's ObjectMapper may change with Spring Boot settings, and it must never change what is stored.
 */
public final class LedgerJson {

    private LedgerJson() { }

    public static ObjectMapper objectMapper() {
        return configure(JsonMapper.builder()).build();
    }

    /**
     * The same mapping, for values written or read inside another mapper's work on the same thread (a personal
     * field's value, encrypted inside its event's JSON): its buffers come from a pool of its own. From the thread's
     * own pool, which the outer generator holds, every nested value allocated fresh ones, about 12 KB per field and
     * the largest share of the command thread's allocations (docs/PERFORMANCE.md).
     */
    public static ObjectMapper nestedObjectMapper() {
        return configure(JsonMapper.builder(JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())).build();
    }

    /**
     * The same mapping in Smile, Jackson's binary form of JSON, for snapshots only (see core.snapshot.SnapshotSerializer).
     * Binary values are stored raw, not in 7-bit groups: snapshot columns are bytea, any byte is fine.
     */
    public static ObjectMapper smileMapper() {
        return configure(SmileMapper.builder(SmileFactory.builder()
                .disable(SmileGenerator.Feature.ENCODE_BINARY_AS_7BIT)
                // Repeated short values (enum names in every row) as back-references to their first occurrence.
                .enable(SmileGenerator.Feature.CHECK_SHARED_STRING_VALUES)
                .build())).build();
    }

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder
                .addModule(new JavaTimeModule())
                // After JavaTimeModule, so it takes Instant over: the canonical form fast, the rest unchanged.
                .addModule(new SimpleModule("ledger-instant").addDeserializer(Instant.class, new IsoInstant.Deserializer()))
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Old readers must survive fields added by newer writers (rolling upgrades).
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The Axon serializer for events, messages and, with Axon Server, snapshots. */
    public static JacksonSerializer serializer() {
        return serializer(objectMapper());
    }

    /** An Axon serializer over {@code mapper} (one of the two above, possibly with more modules). */
    public static JacksonSerializer serializer(ObjectMapper mapper) {
        // Axon's lenientDeserialization() takes effect in Builder.build(), which a subclass built through its
        // constructor never reaches: the same settings, on the mapper itself.
        mapper.enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return new ClassCachingJacksonSerializer(JacksonSerializer.builder().objectMapper(mapper));
    }
}
