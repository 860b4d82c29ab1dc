package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks the aggregate which type an entry is (answers its EntryType, or refuses with ENTRY_NOT_FOUND). Records
 * nothing. Only for an amend that failed: the API names the fields at fault in the target type's body shape.
 */
public record DescribeEntry(@TargetAggregateIdentifier PatientId patientId, String entryId) { }
