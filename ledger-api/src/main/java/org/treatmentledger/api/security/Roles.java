package org.treatmentledger.api.security;

/** The four roles of CONTRACT.md ("Who may do what"). */
public final class Roles {
    public static final String INJECTOR = "INJECTOR";
    public static final String CLINICIAN = "CLINICIAN";
    public static final String AUDITOR = "AUDITOR";
    public static final String ANALYST = "ANALYST";

    private Roles() { }
}
