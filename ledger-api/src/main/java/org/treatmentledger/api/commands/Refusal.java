package org.treatmentledger.api.commands;

import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.Violation;

import java.time.LocalDate;
import java.util.List;

/**
 * A refused command as plain data. Travels as the details of a CommandExecutionException, so a refusal
 * keeps its rule code, sentence and earliest date even when the command ran on another node (Axon Server),
 * where the original exception does not survive serialisation.
 */
public record Refusal(RuleCode code, String detail, LocalDate earliestAllowed, List<Item> violations) {

    public record Item(RuleCode code, String detail, LocalDate earliestAllowed, String subjectEntryId,
                       String causeEntryId) {
        static Item of(Violation v) {
            return new Item(v.code(), v.detail(), v.earliestAllowed(), v.subjectEntryId(), v.causeEntryId());
        }
    }

    public Refusal {
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public static Refusal of(RuleViolationException e) {
        Violation primary = e.primary();
        return new Refusal(primary.code(), primary.detail(), e.earliestAllowed(),
                e.violations().stream().map(Item::of).toList());
    }
}
