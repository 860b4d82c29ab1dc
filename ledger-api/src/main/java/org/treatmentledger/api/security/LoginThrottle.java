package org.treatmentledger.api.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failed password sign-ins per account and per client address (OWASP ASVS 2.2.1): after
 * {@code accountFailures} failures of one account (or {@code addressFailures} from one address) within the window,
 * further attempts are refused before the password is checked, for a lock that doubles with each repeat. Only
 * failures are counted, so any number of successful sign-ins never locks anyone. Mechanism-neutral: HTTP Basic now
 * and a form login later report their outcomes through Spring Security's authentication events
 * ({@link LoginOutcomeListener}) and ask {@link #lockedFor} before authenticating ({@link LoginThrottleFilter}).
 * Kept in this node's memory (README, "Security": what several nodes mean for it).
 */
public final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final LoginThrottleProperties settings;
    private final Clock clock;
    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();
    private final Counter failures;
    private final Counter accountLocks;
    private final Counter addressLocks;
    private final Counter refused;

    public LoginThrottle(LoginThrottleProperties settings, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.clock = clock;
        this.failures = Counter.builder("ledger.security.login.failures")
                .description("Failed password sign-ins (wrong password or unknown user)").register(meters);
        this.accountLocks = Counter.builder("ledger.security.login.locks").tag("scope", "account")
                .description("Sign-in locks begun, per account or client address").register(meters);
        this.addressLocks = Counter.builder("ledger.security.login.locks").tag("scope", "address")
                .description("Sign-in locks begun, per account or client address").register(meters);
        this.refused = Counter.builder("ledger.security.login.throttled")
                .description("Sign-in attempts refused with 429 during a lock").register(meters);
    }

    /** How long sign-ins of {@code account} from {@code address} are still refused; empty when they may try. */
    public Optional<Duration> lockedFor(String account, String address) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : new String[]{accountKey(account), addressKey(address)}) {
            Record r = key == null ? null : records.get(key);
            if (r == null) continue;
            Duration left;
            synchronized (r) {
                left = r.lockedUntil == null ? Duration.ZERO : Duration.between(now, r.lockedUntil);
            }
            if (left.compareTo(longest) > 0) longest = left;
        }
        if (!longest.isZero() && !longest.isNegative()) {
            refused.increment();
            return Optional.of(longest);
        }
        return Optional.empty();
    }

    /** A wrong password (or an unknown user). Never given the password: nothing here could log it. */
    public void failed(String account, String address) {
        failures.increment();
        Instant now = clock.instant();
        sweep(now);
        int accountCount = count(accountKey(account), settings.accountFailures(), now, accountLocks);
        int addressCount = count(addressKey(address), settings.addressFailures(), now, addressLocks);
        log.info("Failed sign-in of account '{}' from {} ({} of {} for the account, {} of {} for the address)",
                printable(account), printable(address), accountCount, settings.accountFailures(), addressCount,
                settings.addressFailures());
    }

    /** A correct password: the account's failures and lock history are forgotten (the address's are not). */
    public void succeeded(String account) {
        String key = accountKey(account);
        if (key != null) records.remove(key);
    }

    private int count(String key, int limit, Instant now, Counter locks) {
        if (key == null) return 0;
        while (true) {
            Record r = records.get(key);
            if (r == null) {
                if (records.size() >= settings.maxTracked()) return 0; // full: see maxTracked
                r = records.computeIfAbsent(key, k -> new Record());
            }
            synchronized (r) {
                if (records.get(key) != r) continue; // swept (or cleared by a success) meanwhile: count on a new one
                if (r.lockedUntil != null && now.isBefore(r.lockedUntil)) return r.failures; // counted when it began
                if (r.windowStart == null || !now.isBefore(r.windowStart.plus(settings.window()))) {
                    // A quiet maxLock after the last failure or lock forgets earlier locks: the next lock is short.
                    if (quiet(r, now)) r.locks = 0;
                    r.windowStart = now;
                    r.failures = 0;
                }
                r.failures++;
                r.lastFailure = now;
                if (r.failures < limit) return r.failures;
                Duration lock = settings.lock().multipliedBy(1L << Math.min(r.locks, 20));
                if (lock.compareTo(settings.maxLock()) > 0) lock = settings.maxLock();
                r.locks++;
                r.lockedUntil = now.plus(lock);
                r.windowStart = null;
                locks.increment();
                log.warn("Sign-in LOCKED for {} s: {} failed sign-ins of {} within {} s (lock {} in a row)",
                        lock.toSeconds(), r.failures, printable(key), settings.window().toSeconds(), r.locks);
                return limit;
            }
        }
    }

    /** Forgets records with no lock and no failure within the longest lock, at most once per window. */
    private void sweep(Instant now) {
        long last = lastSweep.get();
        if (now.toEpochMilli() - last < settings.window().toMillis() || !lastSweep.compareAndSet(last, now.toEpochMilli())) {
            return;
        }
        records.entrySet().removeIf(e -> {
            Record r = e.getValue();
            synchronized (r) {
                boolean locked = r.lockedUntil != null && now.isBefore(r.lockedUntil);
                return !locked && quiet(r, now);
            }
        });
    }

    /** No failure and no lock for the longest lock: earlier locks no longer make the next one longer. */
    private boolean quiet(Record r, Instant now) {
        Instant last = r.lastFailure;
        if (r.lockedUntil != null && (last == null || r.lockedUntil.isAfter(last))) last = r.lockedUntil;
        return last == null || !now.isBefore(last.plus(settings.maxLock()));
    }

    /** User names are case-insensitive in the user stores here, so "Clinician" counts against "clinician". */
    private static String accountKey(String account) {
        return account == null || account.isEmpty() ? null : "account " + account.toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return address == null || address.isEmpty() ? null : "address " + address;
    }

    /** Log-safe: no line breaks or control characters from a client (ASVS 7.3.1), at most 64 characters. */
    static String printable(String text) {
        if (text == null) return "";
        String s = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static final class Record {
        Instant windowStart;
        Instant lastFailure;
        Instant lockedUntil;
        int failures;
        int locks;
    }
}
