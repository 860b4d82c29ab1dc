package org.treatmentledger.api.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.Problems;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The access records as the access-log endpoints and their FHIR AuditEvent export read them: a patient's, or those
 * of the caller's clinics (records on the clinics' patients and records of the clinics' users), newest first, a
 * page at a time ({@code limit}, and {@code before} = the previous page's {@code next}).
 */
public class AccessLog {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** Filters of the records across clinics; each null means any. */
    public record Filter(String user, String patientId, Instant from, Instant to) { }

    private final JdbcTemplate jdbc;

    AccessLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every record on one patient (the caller's clinic was checked by the clinic filter). A bad limit is 400. */
    public AccessLogController.AccessPage ofPatient(String patientId, Integer limit, Long before) {
        int n = limit(limit);
        List<Object> args = new ArrayList<>(List.of(patientId));
        String sql = "SELECT id, at, user_name, role, action, resource, status, purpose, patient_id "
                + "FROM access_log WHERE patient_id = ?" + (before == null ? "" : " AND id < ?") + " ORDER BY id DESC LIMIT ?";
        if (before != null) args.add(before);
        args.add(n + 1);
        return page(jdbc.query(sql, ROW, args.toArray()), n, false);
    }

    /** The records of these clinics' patients and of these clinics' users. A bad limit is 400. */
    public AccessLogController.AccessPage ofClinics(Set<String> clinicSet, Filter filter, Integer limit, Long before) {
        int n = limit(limit);
        String[] clinics = clinicSet.toArray(String[]::new);
        StringBuilder sql = new StringBuilder("SELECT id, at, user_name, role, action, resource, status, purpose, patient_id "
                + "FROM access_log WHERE (clinic_id = ANY (?) OR caller_clinics && ?::text[])");
        List<Object> args = new ArrayList<>(List.of(clinics, clinics));
        if (filter.user() != null) { sql.append(" AND user_name = ?"); args.add(filter.user()); }
        if (filter.patientId() != null) { sql.append(" AND patient_id = ?"); args.add(filter.patientId()); }
        if (filter.from() != null) { sql.append(" AND at >= ?"); args.add(Timestamp.from(filter.from())); }
        if (filter.to() != null) { sql.append(" AND at < ?"); args.add(Timestamp.from(filter.to())); }
        if (before != null) { sql.append(" AND id < ?"); args.add(before); }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(n + 1);
        return page(jdbc.query(sql.toString(), ROW, args.toArray()), n, true);
    }

    private static final RowMapper<AccessLogController.AccessEntry> ROW = (rs, i) -> new AccessLogController.AccessEntry(
            rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("user_name"), rs.getString("role"),
            AccessAction.valueOf(rs.getString("action")), rs.getString("resource"), rs.getInt("status"),
            Purpose.valueOf(rs.getString("purpose")), rs.getString("patient_id"));

    /** In a patient's log the patient is the path's: entries leave it out ({@code withPatient} false). */
    private static AccessLogController.AccessPage page(List<AccessLogController.AccessEntry> rows, int limit,
                                                       boolean withPatient) {
        boolean more = rows.size() > limit;
        List<AccessLogController.AccessEntry> shown = more ? rows.subList(0, limit) : rows;
        return new AccessLogController.AccessPage(shown.stream().map(e -> withPatient ? e : e.withoutPatient()).toList(),
                more ? shown.get(shown.size() - 1).id() : null);
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
