package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;
import org.treatmentledger.core.rules.RuleCode;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A clinician proceeded despite timing rule {@code rule}: recorded just before the entry it allowed
 * ({@code overriddenEntryId}). {@code causeEntryId} is the earlier entry the rule measured from, and
 * {@code earliestAllowed} the date the rule would have allowed, where one exists. {@code occurredAt}
 * equals the allowed entry's clinical time.
 */
public record RuleOverridden(PatientId patientId, String entryId, Instant occurredAt, String overriddenEntryId,
                             RuleCode rule, @PersonalData String reason, String by, String causeEntryId,
                             LocalDate earliestAllowed) implements PatientEvent {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.OVERRIDE; }
}
