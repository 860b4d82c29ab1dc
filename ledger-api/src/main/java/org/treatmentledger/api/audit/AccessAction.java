package org.treatmentledger.api.audit;

/** What a request did with a patient's data. */
public enum AccessAction {
    READ, CREATE, CORRECT, EXPORT, ERASE;

    /** The action of a request on /api/patients[/{id}/...]. */
    static AccessAction of(String method, String path) {
        if ("DELETE".equals(method) || path.endsWith("/erasure")) return ERASE;
        if (path.endsWith("/evidence") || path.contains("/fhir") || path.endsWith("/export")) return EXPORT;
        if ("GET".equals(method) || "HEAD".equals(method)) return READ;
        if (path.endsWith("/corrections")) return CORRECT;
        return CREATE;
    }
}
