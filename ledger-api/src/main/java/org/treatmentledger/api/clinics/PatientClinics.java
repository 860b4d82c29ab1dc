package org.treatmentledger.api.clinics;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.core.api.PatientRegistered;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which clinic a patient belongs to, and the check of every request on one patient against the caller's clinics.
 *
 * <p>The clinic is read from the patient's registration in the event store (sequence 0 of its stream), not from a
 * read model: a patient the event store has is never answered 404 to its own clinic because the read models are
 * behind (reads then wait for them, see api.consistency), and the check needs no read model on the write side.
 * A patient's clinic never changes, so it is cached. Another clinic's patient answers exactly as an unknown one,
 * and before anything else runs (no command, no idempotency record).
 */
public class PatientClinics {

    /**
     * /api/patients/{id} and everything under it, and the web UI's pages on one patient, /patients/{id}/... (api.ui):
     * both pass the same clinic check and the same access audit.
     */
    static final Pattern PATIENT_PATH = Pattern.compile("^(?:/api)?/patients/([^/]+)(/.*)?$");

    /** Request attribute: the patient's clinic, once the check has found it (for the access audit). */
    public static final String CLINIC_ATTRIBUTE = PatientClinics.class.getName() + ".clinic";

    private static final int CACHED = 100_000;

    private final EventStore eventStore;
    private final ObjectMapper mapper;
    private final Map<String, String> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CACHED;
        }
    };

    public PatientClinics(EventStore eventStore, ObjectMapper mapper) {
        this.eventStore = eventStore;
        this.mapper = mapper;
    }

    /** The patient's clinic; empty when the event store has no such patient. */
    public Optional<String> clinicOf(String patientId) {
        synchronized (cache) {
            String cached = cache.get(patientId);
            if (cached != null) return Optional.of(cached);
        }
        DomainEventStream stream = eventStore.readEvents(patientId, 0);
        if (!stream.hasNext()) return Optional.empty();
        if (!(stream.next().getPayload() instanceof PatientRegistered registered)) return Optional.empty();
        synchronized (cache) {
            cache.put(patientId, registered.clinicId());
        }
        return Optional.of(registered.clinicId());
    }

    /** Whether the caller may see the patient: it exists and belongs to one of the caller's clinics. */
    public boolean visible(String patientId, Set<String> callerClinics) {
        return clinicOf(patientId).filter(callerClinics::contains).isPresent();
    }

    /** The patient id of a path under /api/patients/{id}, or null. */
    public static String patientOf(String path) {
        Matcher m = PATIENT_PATH.matcher(path);
        return m.matches() ? m.group(1) : null;
    }

    /** The problem of an unknown patient: the same for another clinic's patient (only the id differs). */
    public static ProblemDetail notFound(String patientId, String instance) {
        ProblemDetail problem = Problems.notFound("PATIENT_NOT_FOUND", "No patient with id " + patientId);
        if (instance != null) problem.setInstance(URI.create(instance));
        return problem;
    }

    /** The check, placed in the security filter chain after the role check. Not a bean (not a servlet filter). */
    public Filter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String patient = patientOf(request.getRequestURI());
                if (patient == null) {
                    chain.doFilter(request, response);
                    return;
                }
                Optional<String> clinic;
                try {
                    clinic = clinicOf(patient);
                } catch (RuntimeException e) {
                    if (!Problems.databaseUnavailable(e)) throw e;
                    response.setStatus(503);
                    response.setHeader(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER_SECONDS);
                    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    mapper.writeValue(response.getOutputStream(), Problems.unavailable());
                    return;
                }
                if (clinic.isEmpty() || !CallerClinics.current().contains(clinic.get())) {
                    response.setStatus(404);
                    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                    mapper.writeValue(response.getOutputStream(), notFound(patient, request.getRequestURI()));
                    return;
                }
                request.setAttribute(CLINIC_ATTRIBUTE, clinic.get());
                chain.doFilter(request, response);
            }
        };
    }
}
