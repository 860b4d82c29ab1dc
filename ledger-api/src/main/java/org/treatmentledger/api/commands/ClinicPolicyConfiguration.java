package org.treatmentledger.api.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.serialization.LedgerJson;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;

/**
 * The clinic's policy: {@link ClinicPolicy#defaults()} with whatever {@code ledger.policy.*} overrides,
 * e.g. {@code ledger.policy.zone=Europe/Berlin} or
 * {@code ledger.policy.minimum-days.LASER_AFTER_TOXIN_LIGHT=14}. Nested maps merge key by key, so one
 * rule's minimum can change without restating the others. A bean so command handlers and projections take
 * it as a parameter. An unknown key or a bad value fails the start, never silently.
 */
@Configuration(proxyBeanMethods = false)
public class ClinicPolicyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ClinicPolicyConfiguration.class);

    @Bean
    ClinicPolicy clinicPolicy(Environment environment) {
        Map<String, Object> overrides = Binder.get(environment)
                .bind("ledger.policy", Bindable.mapOf(String.class, Object.class))
                .orElse(Map.of());
        ClinicPolicy policy = apply(ClinicPolicy.defaults(), overrides);
        if (!overrides.isEmpty()) {
            log.info("Clinic policy overrides applied: {}", overrides.keySet());
        }
        return policy;
    }

    /** Merges property-style overrides (kebab-case keys, string values) onto a policy. */
    public static ClinicPolicy apply(ClinicPolicy base, Map<String, Object> overrides) {
        ObjectMapper mapper = LedgerJson.objectMapper()
                .copy()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ObjectNode tree = mapper.valueToTree(base);
        ObjectNode patch = mapper.valueToTree(camelCaseKeys(overrides, true));
        merge(tree, patch);
        try {
            return mapper.treeToValue(tree, ClinicPolicy.class);
        } catch (Exception e) {
            throw new IllegalStateException("Invalid ledger.policy configuration: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> camelCaseKeys(Map<String, Object> in, boolean topLevel) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((key, value) -> {
            // Only the policy's own field names are kebab-case; map keys (rule codes, products, sites) stay as written.
            String name = topLevel || !key.equals(key.toUpperCase()) ? toCamel(key) : key;
            @SuppressWarnings("unchecked")
            Object v = value instanceof Map<?, ?> m ? camelCaseKeys((Map<String, Object>) m, false) : value;
            out.put(name, v);
        });
        return out;
    }

    private static String toCamel(String key) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** Deep merge; keys match the existing field or map key ignoring case, '-' and '_' (relaxed binding). */
    private static void merge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            String key = e.getKey();
            var names = target.fieldNames();
            while (names.hasNext()) {
                String existingName = names.next();
                if (normalize(existingName).equals(normalize(key))) {
                    key = existingName;
                    break;
                }
            }
            var existing = target.get(key);
            if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode patchObject) {
                merge(existingObject, patchObject);
            } else {
                target.set(key, e.getValue());
            }
        });
    }

    private static String normalize(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    }
}
