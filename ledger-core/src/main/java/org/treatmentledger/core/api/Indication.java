package org.treatmentledger.core.api;

public enum Indication { COSMETIC, THERAPEUTIC }
