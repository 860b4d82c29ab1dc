package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The stored format of events, snapshots, tokens and messages. Dedicated to Axon on purpose: the web
 * layer's ObjectMapper may change with Spring Boot settings, and it must never change what is stored.
 */
public final class LedgerJson {

    private LedgerJson() { }

    public static ObjectMapper objectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Old readers must survive fields added by newer writers (rolling upgrades).
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
    }

    /** The Axon serializer for events, messages and snapshots. */
    public static JacksonSerializer serializer() {
        return JacksonSerializer.builder()
                .objectMapper(objectMapper())
                .lenientDeserialization()
                .build();
    }
}
