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

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final JdbcTemplate jdbc;

    AccessLogController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One request on one patient's data")
    public record AccessEntry(@Schema(description = "When the request was answered") Instant at,
                        @Schema(description = "The authenticated user") String user,
                        @Schema(description = "The user's role", allowableValues = {"INJECTOR", "CLINICIAN", "AUDITOR", "ANALYST"}) String role,
                        AccessAction action,
                        @Schema(description = "Method, path and query of the request", example = "GET /api/patients/7d1c/history") String resource,
                        @Schema(description = "The HTTP status answered", example = "200") int status,
                        @Schema(description = "Purpose-Of-Use of the request (HL7 PurposeOfUse)") Purpose purpose,
                        @Schema(description = "The patient (in GET /api/audit/access; absent for a refused registration)") String patientId) { }

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
        int n = limit(limit);
        List<Object> args = new ArrayList<>(List.of(patientId));
        String sql = "SELECT id, at, user_name, role, action, resource, status, purpose, NULL AS patient_id "
                + "FROM access_log WHERE patient_id = ?" + (before == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT ?";
        if (before != null) args.add(before);
        args.add(n + 1);
        return page(jdbc.query(sql, ROW, args.toArray()), n);
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
        int n = limit(limit);
        String[] clinics = CallerClinics.current().toArray(String[]::new);
        StringBuilder sql = new StringBuilder("SELECT id, at, user_name, role, action, resource, status, purpose, patient_id "
                + "FROM access_log WHERE (clinic_id = ANY (?) OR caller_clinics && ?::text[])");
        List<Object> args = new ArrayList<>(List.of(clinics, clinics));
        if (user != null) { sql.append(" AND user_name = ?"); args.add(user); }
        if (patientId != null) { sql.append(" AND patient_id = ?"); args.add(patientId); }
        if (from != null) { sql.append(" AND at >= ?"); args.add(Timestamp.from(from)); }
        if (to != null) { sql.append(" AND at < ?"); args.add(Timestamp.from(to)); }
        if (before != null) { sql.append(" AND id < ?"); args.add(before); }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(n + 1);
        return page(jdbc.query(sql.toString(), ROW, args.toArray()), n);
    }

    private record Row(long id, AccessEntry entry) { }

    private static final RowMapper<Row> ROW = (rs, i) -> new Row(rs.getLong("id"), new AccessEntry(
            rs.getTimestamp("at").toInstant(), rs.getString("user_name"), rs.getString("role"),
            AccessAction.valueOf(rs.getString("action")), rs.getString("resource"), rs.getInt("status"),
            Purpose.valueOf(rs.getString("purpose")), rs.getString("patient_id")));

    private static AccessPage page(List<Row> rows, int limit) {
        boolean more = rows.size() > limit;
        List<Row> shown = more ? rows.subList(0, limit) : rows;
        return new AccessPage(shown.stream().map(Row::entry).toList(), more ? shown.get(shown.size() - 1).id() : null);
    }

    private static int limit(Integer limit) {
        if (limit == null) return DEFAULT_LIMIT;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidBodyException(Problems.badRequest("limit must be 1 to " + MAX_LIMIT,
                    List.of(new Problems.FieldError("limit", "must be 1 to " + MAX_LIMIT))));
        }
        return limit;
    }
}
