package org.treatmentledger.api.http;

/** 404 with a code (e.g. PATIENT_NOT_FOUND when a read model does not know the patient). */
public class NotFoundException extends RuntimeException {
    private final String code;

    public NotFoundException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() { return code; }
}
