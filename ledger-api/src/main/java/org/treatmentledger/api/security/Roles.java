package org.treatmentledger.api.security;

/** The four roles of docs/http-api.md (Roles). */
public final class Roles {
    public static final String INJECTOR = "INJECTOR";
    public static final String CLINICIAN = "CLINICIAN";
    public static final String AUDITOR = "AUDITOR";
    public static final String ANALYST = "ANALYST";

    private Roles() { }
}
