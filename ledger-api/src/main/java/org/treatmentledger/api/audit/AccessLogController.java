package org.treatmentledger.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.Problems;

import java.sql.Array;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who looked at what: a patient's access log and the access records across the caller's clinics, newest first,
 * a page at a time ({@code limit}, and {@code before} = the previous page's {@code next}).
 */
@RestController
@Tag(name = "Access audit", description = "Who read or wrote which patient's record, when, why, and with what answer")
public class AccessLogController {

    private final AccessLog log;

    AccessLogController(AccessLog log) {
        this.log = log;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One request on one patient's data")
    public record AccessEntry(@Schema(description = "The record's id (its inclusion proof: GET /api/audit/access/proofs/inclusion?id=)", example = "1234") long id,
                        @Schema(description = "When the request was answered") Instant at,
                        @Schema(description = "The authenticated user") String user,
                        @Schema(description = "The user's role", allowableValues = {"INJECTOR", "CLINICIAN", "AUDITOR", "ANALYST"}) String role,
                        AccessAction action,
                        @Schema(description = "Method, path and query of the request", example = "GET /api/patients/7d1c/history") String resource,
                        @Schema(description = "The HTTP status answered", example = "200") int status,
                        @Schema(description = "Purpose-Of-Use of the request (HL7 PurposeOfUse)") Purpose purpose,
                        @Schema(description = "The patient (in GET /api/audit/access; absent for a refused registration)") String patientId) {
        /** The entry as a patient's own log shows it: the patient is the path's. */
        AccessEntry withoutPatient() {
            return new AccessEntry(id, at, user, role, action, resource, status, purpose, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccessPage(List<AccessEntry> entries,
                       @Schema(description = "Pass as `before` for the next (older) page; absent on the last page", example = "1234")
                       Long next) { }

    @GetMapping("/api/patients/{patientId}/access-log")
    @Operation(summary = "Who read or wrote this patient's record, newest first",
            description = "Role: AUDITOR, of the patient's clinic. Every request on the patient's data, refused ones "
                    + "included (also other clinics' users, who were answered as for an unknown patient).")
    public AccessPage patientLog(@PathVariable String patientId,
                           @Parameter(description = "Entries per page (1 to 1000)", example = "100")
                           @RequestParam(required = false) Integer limit,
                           @Parameter(description = "The `next` of the previous page", example = "1234")
                           @RequestParam(required = false) Long before) {
        return log.ofPatient(patientId, limit, before);
    }

    @GetMapping("/api/audit/access")
    @Operation(summary = "Access records across the caller's clinics, newest first",
            description = "Role: AUDITOR. Records on the caller's clinics' patients and records of the caller's "
                    + "clinics' users (whatever patient id they asked for). Filters combine.")
    public AccessPage access(@Parameter(description = "Only this user's requests", example = "clinician")
                       @RequestParam(required = false) String user,
                       @Parameter(description = "Only requests on this patient", example = "7d1c6f0e-0000-4000-8000-000000000000")
                       @RequestParam(required = false) String patientId,
                       @Parameter(description = "From this instant (inclusive)", example = "2026-03-01T00:00:00Z")
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                       @Parameter(description = "Up to this instant (exclusive)", example = "2026-04-01T00:00:00Z")
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                       @Parameter(description = "Entries per page (1 to 1000)", example = "100")
                       @RequestParam(required = false) Integer limit,
                       @Parameter(description = "The `next` of the previous page", example = "1234")
                       @RequestParam(required = false) Long before) {
        return log.ofClinics(CallerClinics.current(), new AccessLog.Filter(user, patientId, from, to), limit, before);
    }

}
