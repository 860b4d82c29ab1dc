package org.treatmentledger.core.api;

import org.treatmentledger.core.rules.RuleCode;

/** A recorded warning that never refuses the command. */
public record Advisory(RuleCode code, String detail) { }
