package org.treatmentledger.api.consistency;

/**
 * The event store has the patient, the read models do not show its latest write yet (they lag, or are being rebuilt): HTTP 503
 * READ_MODEL_BEHIND with Retry-After, not 404.
 */
public class ReadModelBehindException extends RuntimeException {
    public ReadModelBehindException(String patientId) {
        super("Patient " + patientId + " is recorded, but the read models have not caught up with its latest write yet");
    }
}
