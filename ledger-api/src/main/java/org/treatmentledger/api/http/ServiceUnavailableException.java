package org.treatmentledger.api.http;

/** The command or query infrastructure (Axon Server, the database) did not answer in time: HTTP 503. */
public class ServiceUnavailableException extends RuntimeException {
    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
