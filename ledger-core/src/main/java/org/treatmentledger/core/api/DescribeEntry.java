package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Asks the aggregate which type an entry is (answers its EntryType, or refuses with ENTRY_NOT_FOUND). Records nothing; lets the API parse an amend's replacement consistently. */
public record DescribeEntry(@TargetAggregateIdentifier PatientId patientId, String entryId) { }
