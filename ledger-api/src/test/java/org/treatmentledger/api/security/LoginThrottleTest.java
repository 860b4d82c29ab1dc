package org.treatmentledger.api.security;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The throttle's rules on a hand-moved clock: counts, locks, their doubling, per account and per address. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleProperties(null, null, null, null, null, null),
            clock, meters);

    @Test
    void fiveFailuresWithinAMinuteLockTheAccountForAMinuteFromAnyAddress() {
        for (int i = 0; i < 4; i++) throttle.failed("clinician", "10.0.0.1");
        assertThat(throttle.lockedFor("clinician", "10.0.0.1")).isEmpty();
        throttle.failed("Clinician", "10.0.0.2"); // user names are case-insensitive: the same account
        assertThat(throttle.lockedFor("clinician", "10.0.0.3")).contains(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("CLINICIAN", "10.0.0.3")).isPresent();
        assertThat(throttle.lockedFor("auditor", "10.0.0.1")).as("other accounts from that address").isEmpty();
        clock.advance(Duration.ofSeconds(59));
        assertThat(throttle.lockedFor("clinician", "10.0.0.1")).contains(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.lockedFor("clinician", "10.0.0.1")).isEmpty();
        assertThat(meters.counter("ledger.security.login.failures").count()).isEqualTo(5);
        assertThat(meters.counter("ledger.security.login.locks", "scope", "account").count()).isEqualTo(1);
        assertThat(meters.counter("ledger.security.login.throttled").count()).isEqualTo(3);
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowDoNotLock() {
        for (int i = 0; i < 12; i++) {
            throttle.failed("injector", "10.0.0.1");
            clock.advance(Duration.ofSeconds(20)); // 3 per minute
            if (i % 3 == 2) clock.advance(Duration.ofSeconds(1));
        }
        assertThat(throttle.lockedFor("injector", "10.0.0.1")).isEmpty();
    }

    @Test
    void eachFurtherLockDoublesUpToTheLongestAndASuccessForgetsThem() {
        Duration[] expected = {Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(15), Duration.ofMinutes(15)};
        for (Duration lock : expected) {
            for (int i = 0; i < 5; i++) throttle.failed("auditor", "10.0.0.1");
            assertThat(throttle.lockedFor("auditor", "10.0.0.9")).contains(lock);
            clock.advance(lock);
        }
        throttle.succeeded("auditor");
        for (int i = 0; i < 5; i++) throttle.failed("auditor", "10.0.0.1");
        assertThat(throttle.lockedFor("auditor", "10.0.0.9")).contains(Duration.ofMinutes(1));
    }

    @Test
    void aQuietLongestLockForgetsEarlierLocks() {
        for (int i = 0; i < 5; i++) throttle.failed("analyst", "10.0.0.1");
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) throttle.failed("analyst", "10.0.0.1");
        assertThat(throttle.lockedFor("analyst", "10.0.0.9")).contains(Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2 + 15)); // the lock, then a quiet 15 minutes
        for (int i = 0; i < 5; i++) throttle.failed("analyst", "10.0.0.1");
        assertThat(throttle.lockedFor("analyst", "10.0.0.9")).contains(Duration.ofMinutes(1));
    }

    @Test
    void twentyFailuresFromOneAddressLockItForEveryAccount() {
        for (int i = 0; i < 20; i++) throttle.failed("user-" + i, "192.0.2.7");
        assertThat(throttle.lockedFor("clinician", "192.0.2.7")).contains(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("clinician", "192.0.2.8")).isEmpty();
        assertThat(meters.counter("ledger.security.login.locks", "scope", "address").count()).isEqualTo(1);
    }

    @Test
    void aSuccessClearsTheAccountButNotTheAddress() {
        for (int i = 0; i < 4; i++) throttle.failed("injector", "192.0.2.1");
        throttle.succeeded("injector");
        throttle.failed("injector", "192.0.2.1");
        assertThat(throttle.lockedFor("injector", "192.0.2.2")).isEmpty();
        for (int i = 0; i < 15; i++) throttle.failed("other-" + i, "192.0.2.1"); // 20 from that address
        assertThat(throttle.lockedFor("injector", "192.0.2.1")).isPresent();
    }

    @Test
    void untrackedBeyondTheLimitButStillCountedPerAddress() {
        LoginThrottle small = new LoginThrottle(new LoginThrottleProperties(5, 20, null, null, null, 3), clock, meters);
        small.failed("a", "192.0.2.1"); // two keys: account a, address
        small.failed("b", "192.0.2.1"); // account b: three
        for (int i = 0; i < 5; i++) small.failed("c", "192.0.2.1"); // account c is not tracked
        assertThat(small.lockedFor("c", "192.0.2.9")).isEmpty();
        for (int i = 0; i < 13; i++) small.failed("d" + i, "192.0.2.1");
        assertThat(small.lockedFor("c", "192.0.2.1")).as("the address is").isPresent();
    }

    @Test
    void logTextCannotForgeLines() {
        assertThat(LoginThrottle.printable("eve\nINFO forged")).isEqualTo("eve?INFO forged");
        assertThat(LoginThrottle.printable("x".repeat(100))).hasSize(67);
    }
}
