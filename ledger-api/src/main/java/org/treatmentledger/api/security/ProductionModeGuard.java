package org.treatmentledger.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses to start a ledger in production mode with a development convenience still on (OWASP ASVS 14.1, 2.10.4):
 * the demo users (no identity provider configured) or a checkpoint signing key generated beside the data. Production
 * mode is {@code ledger.security.mode=production}, or {@code auto} (the default) with an external database
 * ({@code spring.datasource.url} set or the embedded PostgreSQL switched off). {@code development} allows both on an
 * external database, for trials and tests without patient data, with a WARN. The check runs before any bean is
 * created: no database is touched and no key is written by a start it refuses.
 */
@Configuration(proxyBeanMethods = false)
public class ProductionModeGuard {

    private static final Logger log = LoggerFactory.getLogger(ProductionModeGuard.class);

    @Bean
    static BeanFactoryPostProcessor ledgerProductionModeGuard(Environment environment) {
        return beanFactory -> check(environment);
    }

    static void check(Environment environment) {
        String mode = environment.getProperty("ledger.security.mode", "auto").strip().toLowerCase(Locale.ROOT);
        boolean external = !environment.getProperty("spring.datasource.url", "").isBlank()
                || !environment.getProperty("ledger.embedded-postgres.enabled", Boolean.class, true);
        boolean production = switch (mode) {
            case "production" -> true;
            case "development" -> false;
            case "auto" -> external;
            default -> throw new InsecureStartException("ledger.security.mode is '" + mode
                    + "': use auto (the default), production or development.", List.of());
        };
        List<String> reasons = reasons(environment);
        if (production && !reasons.isEmpty()) {
            throw new InsecureStartException("Refusing to start in production mode ("
                    + (mode.equals("auto") ? "an external database is configured" : "ledger.security.mode=production")
                    + ") with development settings: " + String.join("; ", reasons) + ".", reasons);
        }
        if (!production && external && !reasons.isEmpty()) {
            log.warn("DEVELOPMENT MODE ON AN EXTERNAL DATABASE (ledger.security.mode=development): {}. Never with "
                    + "patient data.", String.join("; ", reasons));
        }
    }

    /** What a production start must not have, each with what to set instead. */
    static List<String> reasons(Environment environment) {
        List<String> reasons = new ArrayList<>();
        boolean jwt = !environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "").isBlank()
                || !environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "").isBlank();
        if (!jwt) {
            reasons.add("the demo users are active because no identity provider is configured (set "
                    + "spring.security.oauth2.resourceserver.jwt.issuer-uri or jwk-set-uri)");
        }
        boolean integrity = environment.getProperty("ledger.integrity.enabled", Boolean.class, true);
        if (integrity && environment.getProperty("ledger.integrity.signing-key", "").isBlank()) {
            reasons.add("the checkpoint signing key would be generated and kept beside the data (set "
                    + "ledger.integrity.signing-key to a key file or PEM kept apart from the database)");
        }
        if (environment.getProperty("ledger.erasure.kek", "").isBlank()) {
            reasons.add("the key-encryption key of the patients' data keys would be generated and kept beside the data "
                    + "(set ledger.erasure.kek to a key, or a key file, kept apart from the database and its backups)");
        }
        return reasons;
    }

    /** Why the start was refused; {@link InsecureStartFailureAnalyzer} prints it as one message. */
    public static final class InsecureStartException extends IllegalStateException {
        private final List<String> reasons;

        InsecureStartException(String message, List<String> reasons) {
            super(message);
            this.reasons = List.copyOf(reasons);
        }

        public List<String> reasons() {
            return reasons;
        }
    }
}
