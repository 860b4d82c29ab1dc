package org.treatmentledger.core.api;

public enum Severity { MILD, MODERATE, SEVERE }
