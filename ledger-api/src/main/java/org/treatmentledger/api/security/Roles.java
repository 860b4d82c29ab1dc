package org.treatmentledger.api.security;

/** The four roles of docs/http-api.md (Roles), and METRICS: the account that scrapes the management endpoints. */
public final class Roles {
    public static final String INJECTOR = "INJECTOR";
    public static final String CLINICIAN = "CLINICIAN";
    public static final String AUDITOR = "AUDITOR";
    public static final String ANALYST = "ANALYST";
    public static final String METRICS = "METRICS";

    private Roles() { }
}
