package org.treatmentledger.core.api;

public enum Sex { FEMALE, MALE, OTHER }
