package org.treatmentledger.core.api;

public enum CorrectionAction { AMEND, VOID }
