package org.treatmentledger.core.api;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Records a photo checkpoint: image hashes and locations, never the bytes. */
public record RecordPhotoCheckpoint(@TargetAggregateIdentifier PatientId patientId, String entryId, PhotoCheckpointDetails details) { }
