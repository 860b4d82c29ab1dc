package org.treatmentledger.api.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.api.http.RequestIds;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.List;

/**
 * Idempotency-Key on writes (POST /api/**), after authentication. The first request with a key inserts
 * its row (insert-first, primary key (user, key)), runs, and stores its response; a repeat with the same
 * request hash (method, path, body, user) gets that stored response and runs nothing; a different hash gets
 * 422 IDEMPOTENCY_KEY_REUSED. A concurrent duplicate waits briefly for the first to finish, else 409.
 * 5xx answers are not stored (the row is released) so the client may retry with the same key.
 */
public class IdempotencyFilter extends OncePerRequestFilter {

    static final int MAX_KEY_LENGTH = 255;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdempotencyFilter.class);

    private final IdempotencyStore store;
    private final ObjectMapper mapper;
    private final long waitForInProgressMillis;
    private final Duration inProgressExpiry;

    public IdempotencyFilter(IdempotencyStore store, ObjectMapper mapper, long waitForInProgressMillis,
                             Duration inProgressExpiry) {
        this.store = store;
        this.mapper = mapper;
        this.waitForInProgressMillis = waitForInProgressMillis;
        this.inProgressExpiry = inProgressExpiry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/api/")
                || request.getHeader(RequestIds.IDEMPOTENCY_KEY) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(RequestIds.IDEMPOTENCY_KEY).trim();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            write(response, Problems.badRequest("Invalid Idempotency-Key header",
                    List.of(new Problems.FieldError(RequestIds.IDEMPOTENCY_KEY,
                            "must be 1 to " + MAX_KEY_LENGTH + " characters"))));
            return;
        }
        String user = authentication.getName();
        byte[] body = request.getInputStream().readAllBytes();
        String hash = hash(request.getMethod(), request.getRequestURI(), body, user);

        try {
            if (!store.tryBegin(user, key, hash, inProgressExpiry)) {
                replayOrRefuse(response, user, key, hash);
                return;
            }
        } catch (RuntimeException e) {
            if (!Problems.databaseUnavailable(e)) throw e;
            // Nothing ran: the key's row could not even be written.
            log.warn("Idempotency-Key not checked, database unavailable: {}", Problems.causeChain(e));
            response.setHeader(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER_SECONDS);
            write(response, Problems.unavailable());
            return;
        }
        ContentCachingResponseWrapper wrapper = new ContentCachingResponseWrapper(response);
        boolean stored = false;
        try {
            chain.doFilter(new CachedBodyRequest(request, body), wrapper);
            int status = wrapper.getStatus();
            if (status < 500) {
                try {
                    String location = wrapper.getHeader(HttpHeaders.LOCATION);
                    store.complete(user, key, status, wrapper.getContentType(), location,
                            wrapper.getContentAsByteArray(), patientOf(request.getRequestURI(), location));
                    stored = true;
                } catch (RuntimeException e) {
                    if (!Problems.databaseUnavailable(e)) throw e;
                    // The request's own answer stands (its 201 is recorded); only its replay is lost. A retry with this
                    // key runs again and is refused by the aggregate (same entry ids, RequestIds).
                    log.warn("Response for an Idempotency-Key not stored, database unavailable: {}", Problems.causeChain(e));
                }
            }
        } finally {
            if (!stored) release(user, key);
            wrapper.copyBodyToResponse();
        }
    }

    /**
     * Never masks the request's own outcome. A row left IN_PROGRESS answers retries 409 IN_PROGRESS until it
     * expires (ledger.idempotency.in-progress-expiry); the retry after that runs the request again.
     */
    private void release(String user, String key) {
        try {
            store.release(user, key);
        } catch (RuntimeException e) {
            log.warn("Idempotency-Key row not released: {}", Problems.causeChain(e));
        }
    }

    private void replayOrRefuse(HttpServletResponse response, String user, String key, String hash) throws IOException {
        long deadline = System.currentTimeMillis() + waitForInProgressMillis;
        while (true) {
            Optional<IdempotencyStore.Record> found = store.find(user, key);
            if (found.isEmpty()) {
                // Released by a failed (5xx) first attempt just now: ask the client to retry.
                write(response, inProgress());
                return;
            }
            IdempotencyStore.Record record = found.get();
            if (!record.requestHash().equals(hash)) {
                ProblemDetail problem = Problems.problem(HttpStatus.UNPROCESSABLE_ENTITY, "IDEMPOTENCY_KEY_REUSED",
                        "Idempotency-Key reused", "This Idempotency-Key was already used with a different request");
                problem.setProperty("code", "IDEMPOTENCY_KEY_REUSED");
                write(response, problem);
                return;
            }
            if (record.completed()) {
                response.setStatus(record.status());
                if (record.contentType() != null) response.setContentType(record.contentType());
                if (record.location() != null) response.setHeader(HttpHeaders.LOCATION, record.location());
                response.setHeader("Idempotent-Replayed", "true");
                if (record.body() != null) response.getOutputStream().write(record.body());
                return;
            }
            if (System.currentTimeMillis() >= deadline) {
                write(response, inProgress());
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                write(response, inProgress());
                return;
            }
        }
    }

    private static ProblemDetail inProgress() {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_IN_PROGRESS",
                "Request in progress", "A request with this Idempotency-Key is still being processed; retry shortly");
        problem.setProperty("code", "IDEMPOTENCY_KEY_IN_PROGRESS");
        return problem;
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }

    private static final java.util.regex.Pattern PATIENT_PATH = java.util.regex.Pattern.compile("^/api/patients/([^/?]+)");

    /** The patient a write was about: from its path, or the Location a registration answered with; else null. */
    static String patientOf(String path, String location) {
        for (String s : new String[] {path, location}) {
            if (s == null) continue;
            java.util.regex.Matcher m = PATIENT_PATH.matcher(s);
            if (m.find()) return java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        }
        return null;
    }

    static String hash(String method, String path, byte[] body, String user) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + "\n" + path + "\n" + user + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets the controller read the body the filter already consumed. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
