package org.treatmentledger.core.api;

public enum CheckpointKind { BASELINE, POST_INJECTION_REVIEW, POST_LASER, OTHER }
