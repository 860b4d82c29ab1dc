package org.treatmentledger.api.commands;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.treatmentledger.core.rules.ClinicPolicy;

/**
 * The clinic's policy: {@link ClinicPolicy.Settings} (every default named there) with {@code ledger.policy.*}
 * bound onto it by Spring's own binder, e.g. {@code ledger.policy.zone=Europe/Berlin} or
 * {@code ledger.policy.minimum-days.LASER_AFTER_TOXIN_LIGHT=14}. The settings' maps start filled, so one key
 * overrides one value and keeps the others; an unknown key or a bad value fails the start. A bean so command
 * handlers and projections take it as a parameter.
 */
@Configuration(proxyBeanMethods = false)
public class ClinicPolicyConfiguration {

    @Bean
    @ConfigurationProperties(prefix = "ledger.policy", ignoreUnknownFields = false)
    ClinicPolicy.Settings clinicPolicySettings() {
        return new ClinicPolicy.Settings();
    }

    @Bean
    ClinicPolicy clinicPolicy(ClinicPolicy.Settings settings) {
        return settings.toPolicy();
    }
}
