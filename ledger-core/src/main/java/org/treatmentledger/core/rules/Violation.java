package org.treatmentledger.core.rules;

import java.time.LocalDate;

/**
 * One broken rule. {@code subjectEntryId} is the entry that came too soon (the candidate, or an entry
 * already recorded after a backdated candidate); {@code causeEntryId} is the earlier entry the rule
 * measures from (null where none, e.g. an integrity rule). {@code earliestAllowed} is the first local
 * date on which the candidate would pass this rule, where such a date exists.
 */
public record Violation(RuleCode code, String detail, LocalDate earliestAllowed, String subjectEntryId,
                        String causeEntryId) { }
