package org.treatmentledger.api.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Spring Boot's start-failure report for a refused production start: the reasons and what to do, no stack trace. */
public class InsecureStartFailureAnalyzer extends AbstractFailureAnalyzer<ProductionModeGuard.InsecureStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, ProductionModeGuard.InsecureStartException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Configure an identity provider and a signing key for production (README, \"Security\"), or, for a "
                        + "trial without patient data only, set ledger.security.mode=development.", cause);
    }
}
