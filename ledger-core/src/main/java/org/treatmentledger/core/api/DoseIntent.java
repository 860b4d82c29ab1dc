package org.treatmentledger.core.api;

public enum DoseIntent { LIGHT, FULL, HALF_DOSE_TRIAL }
