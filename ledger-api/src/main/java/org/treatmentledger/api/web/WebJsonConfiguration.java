package org.treatmentledger.api.web;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The web mapper (HTTP bodies only; Axon stores with LedgerJson). Strict: unknown fields fail
 * (application.properties), and instants/dates must be ISO strings, not epoch numbers.
 */
@Configuration(proxyBeanMethods = false)
public class WebJsonConfiguration {

    @Bean
    Jackson2ObjectMapperBuilderCustomizer strictDates() {
        return builder -> builder.postConfigurer(mapper -> mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
}
