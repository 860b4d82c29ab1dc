package org.treatmentledger.api.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

@Configuration(proxyBeanMethods = false)
public class IdempotencyConfiguration {

    /** Runs right after Spring Security's filter chain, so the authenticated user is known. */
    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(IdempotencyStore store, ObjectMapper mapper,
            @Value("${ledger.idempotency.wait-for-in-progress:5s}") Duration wait,
            @Value("${ledger.idempotency.in-progress-expiry:60s}") Duration expiry) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(store, mapper, wait.toMillis(), expiry));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 1);
        registration.addUrlPatterns("/api/*");
        return registration;
    }
}
