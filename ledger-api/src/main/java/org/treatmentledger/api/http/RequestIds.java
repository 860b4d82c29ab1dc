package org.treatmentledger.api.http;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Server-generated ids. Without an Idempotency-Key they are random UUIDs. With one, they are name-based
 * UUIDs of (user, key, path, purpose): should a retry ever re-run a command whose first response was lost
 * (crash between commit and storing the response), the aggregate sees the same entry id again and refuses
 * it (DUPLICATE_ENTRY_ID / PATIENT_ALREADY_REGISTERED) instead of recording the treatment twice.
 */
@Component
public class RequestIds {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpServletRequest request;

    public RequestIds(HttpServletRequest request) {
        this.request = request;
    }

    public String next(String purpose) {
        String key = request.getHeader(IDEMPOTENCY_KEY);
        if (key == null || key.isBlank()) return UUID.randomUUID().toString();
        String name = LedgerGateway.currentUser() + "\n" + key + "\n" + request.getMethod() + " " + request.getRequestURI()
                + "\n" + purpose;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
