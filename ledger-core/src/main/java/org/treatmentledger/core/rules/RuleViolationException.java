package org.treatmentledger.core.rules;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A refused command: nothing was recorded. Carries every violation; {@link #primary()} is the one the
 * HTTP layer reports as {@code code}: an integrity violation first, otherwise the timing violation with
 * the latest earliest-allowed date. {@link #earliestAllowed()} is the first date on which the candidate
 * would pass every timing rule, where the rules give one.
 */
public class RuleViolationException extends RuntimeException {

    private final List<Violation> violations;
    private final LocalDate earliestAllowed;

    public RuleViolationException(List<Violation> violations, LocalDate earliestAllowed) {
        super(describe(violations));
        if (violations.isEmpty()) throw new IllegalArgumentException("no violations");
        this.violations = List.copyOf(violations);
        this.earliestAllowed = earliestAllowed;
    }

    public RuleViolationException(Violation violation) {
        this(List.of(violation), violation.earliestAllowed());
    }

    public List<Violation> violations() { return violations; }

    public LocalDate earliestAllowed() { return earliestAllowed; }

    public Violation primary() {
        return violations.stream()
                .min(Comparator.comparing((Violation v) -> v.code().isOverridable())
                        .thenComparing(v -> v.earliestAllowed() == null ? LocalDate.MIN : v.earliestAllowed(),
                                Comparator.reverseOrder()))
                .orElseThrow();
    }

    public RuleCode code() { return primary().code(); }

    private static String describe(List<Violation> violations) {
        Objects.requireNonNull(violations);
        return violations.isEmpty() ? "" : violations.get(0).code() + ": " + violations.get(0).detail();
    }
}
