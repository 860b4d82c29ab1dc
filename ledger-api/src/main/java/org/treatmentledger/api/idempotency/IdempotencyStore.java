package org.treatmentledger.api.idempotency;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.time.Duration;

/** The idempotency_key table (V5). Each call is its own short autocommit statement. */
@Component
public class IdempotencyStore {

    public record Record(String requestHash, boolean completed, Integer status, String contentType, String location,
                         byte[] body) { }

    private final JdbcTemplate jdbc;

    public IdempotencyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * True when this call inserted the row (the first request with this key), or took over the row of the same
     * request left IN_PROGRESS for longer than {@code expiry} (its first attempt ended without storing or releasing
     * it: the database went away, or the node died); false when the row exists otherwise.
     */
    public boolean tryBegin(String user, String key, String hash, Duration expiry) {
        return jdbc.update("""
                INSERT INTO idempotency_key (username, idem_key, request_hash, state)
                VALUES (?, ?, ?, 'IN_PROGRESS')
                ON CONFLICT (username, idem_key) DO UPDATE SET created_at = now()
                 WHERE idempotency_key.state = 'IN_PROGRESS' AND idempotency_key.request_hash = EXCLUDED.request_hash
                   AND idempotency_key.created_at < now() - make_interval(secs => ?)""",
                user, key, hash, expiry.toMillis() / 1000.0) == 1;
    }

    /** {@code patientId}: the patient the request was about (null if none), so erasure can delete the row. */
    public void complete(String user, String key, int status, String contentType, String location, byte[] body,
                         String patientId) {
        jdbc.update("""
                UPDATE idempotency_key SET state = 'COMPLETED', status = ?, content_type = ?, location = ?, body = ?,
                       completed_at = now(), patient_id = ?
                 WHERE username = ? AND idem_key = ?""", status, contentType, location, body, patientId, user, key);
    }

    /** Deletes every stored request and response about the patient (erasure); answers how many. */
    public int forgetPatient(String patientId) {
        return jdbc.update("DELETE FROM idempotency_key WHERE patient_id = ?", patientId);
    }

    public void release(String user, String key) {
        jdbc.update("DELETE FROM idempotency_key WHERE username = ? AND idem_key = ? AND state = 'IN_PROGRESS'", user, key);
    }

    public Optional<Record> find(String user, String key) {
        return jdbc.query("""
                SELECT request_hash, state, status, content_type, location, body
                  FROM idempotency_key WHERE username = ? AND idem_key = ?""",
                (rs, i) -> new Record(rs.getString(1), "COMPLETED".equals(rs.getString(2)),
                        (Integer) rs.getObject(3), rs.getString(4), rs.getString(5), rs.getBytes(6)),
                user, key).stream().findFirst();
    }
}
