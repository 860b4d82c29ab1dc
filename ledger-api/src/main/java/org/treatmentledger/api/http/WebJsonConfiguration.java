package org.treatmentledger.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The web mapper (HTTP bodies only; Axon stores with LedgerJson). Strict: unknown fields fail
 * (application.properties), and instants and dates must be ISO strings, never epoch numbers or arrays.
 */
@Configuration(proxyBeanMethods = false)
public class WebJsonConfiguration {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer isoStringsOnly() {
        return builder -> builder
                .deserializerByType(Instant.class, new StringOnly<>(Instant.class, InstantDeserializer.INSTANT))
                .deserializerByType(LocalDate.class, new StringOnly<>(LocalDate.class, LocalDateDeserializer.INSTANCE));
    }

    static final class StringOnly<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final JsonDeserializer<? extends T> delegate;

        StringOnly(Class<T> type, JsonDeserializer<? extends T> delegate) {
            this.type = type;
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (T) ctxt.handleUnexpectedToken(type, p);
            }
            return delegate.deserialize(p, ctxt);
        }

        @Override
        public Class<?> handledType() {
            return type;
        }
    }
}
