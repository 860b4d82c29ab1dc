package org.treatmentledger.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.clinics.PatientClinics;
import org.treatmentledger.api.http.Problems;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The access audit: one record per authenticated request on one patient's data ({@code /api/patients} and
 * everything under {@code /api/patients/{id}}), refused ones included, durable before the response leaves. The
 * filter sits in the security chain before the role check, so a 403 is recorded too; it buffers the response and
 * sends it only once its record is committed ({@link AccessLogWriter}); if the record cannot be written the
 * answer is 503 instead. A 503 answer (the database unreachable) is recorded without waiting, best effort: it
 * disclosed and changed nothing, and its record could not be written in time either. Unauthenticated requests (401) name nobody and are not recorded; nor is a request with an
 * unknown {@code Purpose-Of-Use}, answered 400 before it runs.
 */
public class AccessAudit {

    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);
    private static final int MAX_RESOURCE = 1024;

    private final AccessLogWriter writer;
    private final PatientClinics patientClinics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Duration wait;

    AccessAudit(AccessLogWriter writer, PatientClinics patientClinics, ObjectMapper mapper, Clock clock, Duration wait) {
        this.writer = writer;
        this.patientClinics = patientClinics;
        this.mapper = mapper;
        this.clock = clock;
        this.wait = wait;
    }

    /**
     * Whether a request is on one patient's data (and so is recorded): the API's, and the web UI's pages and forms
     * under /patients (api.ui), whose registration form posts to /patients.
     */
    static boolean onePatient(String method, String path) {
        return PatientClinics.patientOf(path) != null
                || ("POST".equals(method) && (path.equals("/api/patients") || path.equals("/patients")));
    }

    /** The filter, placed in the security filter chain. Not a bean (not a servlet filter of its own). */
    public Filter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                Authentication caller = SecurityContextHolder.getContext().getAuthentication();
                if (!onePatient(request.getMethod(), request.getRequestURI()) || caller == null
                        || !caller.isAuthenticated() || caller instanceof AnonymousAuthenticationToken) {
                    chain.doFilter(request, response);
                    return;
                }
                Optional<Purpose> purpose = Purpose.of(request.getHeader(Purpose.HEADER));
                if (purpose.isEmpty()) {
                    write(response, unknownPurpose(request.getHeader(Purpose.HEADER)));
                    return;
                }
                ContentCachingResponseWrapper buffered = new ContentCachingResponseWrapper(response);
                int status = 500;
                try {
                    chain.doFilter(request, buffered);
                    status = buffered.getStatus();
                } finally {
                    // Also when the chain failed (the container answers 500): that request is recorded as 500.
                    AccessRecord record = record(request, buffered, caller, purpose.get(), status);
                    try {
                        if (status == 503) writer.offer(record); // the database is likely down: no waiting for it
                        else writer.append(record, wait);
                    } catch (RuntimeException e) {
                        log.warn("Access record not written, answering 503 instead: {}", Problems.causeChain(e));
                        buffered.reset();
                        buffered.setHeader(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER_SECONDS);
                        write(buffered, Problems.unavailable());
                    }
                    buffered.copyBodyToResponse();
                }
            }
        };
    }

    /**
     * What the HTTP filters add to one patient read, for callers outside HTTP (the benchmark's W4 with the audit
     * on): the patient's clinic checked against the caller's, and the access record written and committed.
     */
    public void recordRead(String user, String role, Set<String> callerClinics, String patientId, String resource) {
        String clinic = patientClinics.clinicOf(patientId).orElse(null);
        int status = clinic != null && callerClinics.contains(clinic) ? 200 : 404;
        writer.append(new AccessRecord(clock.instant(), user, role, clinic, callerClinics, patientId, AccessAction.READ,
                resource, status, Purpose.TREATMENT), wait);
    }

    private AccessRecord record(HttpServletRequest request, ContentCachingResponseWrapper response,
                                Authentication caller, Purpose purpose, int status) {
        String path = request.getRequestURI();
        String patient = PatientClinics.patientOf(path);
        if (patient == null && (status == 201 || status == 303)) {
            // A registration: the new patient is the last segment of its Location (the web UI answers 303 to it).
            String location = response.getHeader(HttpHeaders.LOCATION);
            if (location != null) patient = location.substring(location.lastIndexOf('/') + 1);
        }
        String clinic = (String) request.getAttribute(PatientClinics.CLINIC_ATTRIBUTE);
        if (clinic == null && patient != null && status != 503) clinic = clinicOrNull(patient);
        String resource = request.getMethod() + " " + path
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        if (resource.length() > MAX_RESOURCE) resource = resource.substring(0, MAX_RESOURCE);
        Set<String> callerClinics = CallerClinics.of(caller);
        return new AccessRecord(clock.instant(), caller.getName(), role(caller), clinic, callerClinics, patient,
                AccessAction.of(request.getMethod(), path), resource, status, purpose);
    }

    private String clinicOrNull(String patient) {
        try {
            return patientClinics.clinicOf(patient).orElse(null);
        } catch (RuntimeException e) {
            // The event store cannot be read (the record's own write will tell whether the database is reachable).
            return null;
        }
    }

    private static String role(Authentication caller) {
        return caller.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().findFirst().orElse(null);
    }

    private static ProblemDetail unknownPurpose(String value) {
        return Problems.badRequest("Unknown " + Purpose.HEADER + " '" + value + "'",
                List.of(new Problems.FieldError(Purpose.HEADER, "unknown value; allowed: " + Arrays.toString(Purpose.values()))));
    }

    private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }
}
