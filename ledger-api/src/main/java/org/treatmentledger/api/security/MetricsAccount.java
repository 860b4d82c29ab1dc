package org.treatmentledger.api.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.util.Locale;
import java.util.Optional;

/**
 * The account Prometheus scrapes with: user {@code ledger.security.metrics-user} (default {@code prometheus}), role
 * METRICS, password {@code ledger.security.metrics-password} (plain, or already encoded as {@code {bcrypt}...} so the
 * service's configuration need not hold the password itself). While the demo users are active and no password is
 * set it takes the demo password; otherwise, without a password, there is no such account and the metrics answer
 * 401 to everyone. Only the management endpoints' chain knows it: it cannot call the API.
 */
final class MetricsAccount implements UserDetailsService {

    private static final Logger log = LoggerFactory.getLogger(MetricsAccount.class);

    /** No account: every name is unknown. */
    static final UserDetailsService NONE = username -> {
        throw new UsernameNotFoundException("no such account");
    };

    private final UserDetails account;

    private MetricsAccount(UserDetails account) {
        this.account = account;
    }

    static Optional<MetricsAccount> of(Environment environment, boolean demoUsersActive) {
        String user = environment.getProperty("ledger.security.metrics-user", "prometheus");
        String password = environment.getProperty("ledger.security.metrics-password", "");
        String encoded;
        if (!password.isBlank()) {
            // BCrypt's default cost: one check per scrape (every 15 s) is cheap, and this password guards metrics.
            encoded = password.startsWith("{") ? password : "{bcrypt}" + new BCryptPasswordEncoder().encode(password);
        } else if (demoUsersActive) {
            encoded = "{bcrypt}" + new BCryptPasswordEncoder(4)
                    .encode(environment.getProperty("ledger.security.demo-password", "demo"));
            log.warn("DEMO METRICS ACCOUNT ACTIVE: '{}' reads the metrics with the demo password. Set "
                    + "ledger.security.metrics-password for production.", user);
        } else {
            log.warn("NO METRICS ACCOUNT: ledger.security.metrics-password is not set, so /actuator/prometheus and "
                    + "/actuator/metrics answer 401 to every caller (README, \"Security\").");
            return Optional.empty();
        }
        return Optional.of(new MetricsAccount(User.withUsername(user).password(encoded).roles(Roles.METRICS).build()));
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        if (!account.getUsername().toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
            throw new UsernameNotFoundException("no such account");
        }
        return User.withUserDetails(account).build();
    }
}
