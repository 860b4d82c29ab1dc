package org.treatmentledger.api.clinics;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Marks the reads of one request: every read-only database transaction begun inside {@link #read} runs as the
 * reader role with the caller's clinics set ({@link ClinicScopedTransactionManager}), so row-level security answers
 * only the caller's clinics' rows even if a query forgot them. Patient reads run in read-your-writes' read-only
 * transaction; {@link #readOnly} opens one for the other reads (lots, analytics). Thread-bound: the read models'
 * query handlers run in the request's thread on the local query bus.
 */
public final class ClinicScope {

    private static final ThreadLocal<Set<String>> READING = new ThreadLocal<>();

    private ClinicScope() { }

    /** Runs {@code reads} with the authenticated caller's clinics. */
    public static <T> T read(Supplier<T> reads) {
        return read(CallerClinics.current(), reads);
    }

    public static <T> T read(Set<String> clinics, Supplier<T> reads) {
        Set<String> outer = READING.get();
        READING.set(Set.copyOf(clinics));
        try {
            return reads.get();
        } finally {
            if (outer == null) READING.remove();
            else READING.set(outer);
        }
    }

    /** Runs {@code reads} in one read-only transaction with the caller's clinics. */
    public static <T> T readOnly(PlatformTransactionManager transactions, Supplier<T> reads) {
        TransactionTemplate template = new TransactionTemplate(transactions);
        template.setReadOnly(true);
        return read(() -> template.execute(status -> reads.get()));
    }

    /** The clinics of the reads running on this thread, or null outside {@link #read}. */
    static Set<String> current() {
        return READING.get();
    }
}
