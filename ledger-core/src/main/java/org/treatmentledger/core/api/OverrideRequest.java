package org.treatmentledger.core.api;

/**
 * A clinician's written reason to proceed despite a timing refusal. Who decided is taken from the
 * authenticated caller on the server, never from the request.
 */
public record OverrideRequest(String reason) { }
