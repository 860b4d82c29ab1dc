package org.treatmentledger.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Throttling of failed password sign-ins ({@code ledger.security.login-throttle.*}; README, "Security").
 *
 * @param accountFailures failed sign-ins of one account within {@code window} that lock it (default 5: the sixth
 *                        attempt is answered 429)
 * @param addressFailures failed sign-ins from one client address within {@code window}, whatever the account,
 *                        that lock the address (default 20: password spraying over many accounts)
 * @param window          how long a failure counts (default 1 minute)
 * @param lock            the first lock's length (default 1 minute); each further lock of the same account or
 *                        address doubles it, up to {@code maxLock}, until a successful sign-in of the account or a
 *                        quiet {@code maxLock} without failures
 * @param maxLock         the longest lock (default 15 minutes)
 * @param maxTracked      accounts and addresses remembered at most (default 100,000): bounds the memory an attacker
 *                        can fill with invented user names; past it new keys are not tracked until old ones expire
 */
@ConfigurationProperties("ledger.security.login-throttle")
public record LoginThrottleProperties(Integer accountFailures, Integer addressFailures, Duration window,
                                      Duration lock, Duration maxLock, Integer maxTracked) {
    public LoginThrottleProperties {
        if (accountFailures == null) accountFailures = 5;
        if (addressFailures == null) addressFailures = 20;
        if (window == null) window = Duration.ofMinutes(1);
        if (lock == null) lock = Duration.ofMinutes(1);
        if (maxLock == null) maxLock = Duration.ofMinutes(15);
        if (maxTracked == null) maxTracked = 100_000;
        if (accountFailures < 1 || addressFailures < 1 || maxTracked < 1 || window.isNegative() || window.isZero() || lock.isNegative() || lock.isZero()
                || maxLock.compareTo(lock) < 0) {
            throw new IllegalArgumentException("ledger.security.login-throttle: failures, window and lock must be "
                    + "positive, max-lock at least lock");
        }
    }
}
