package org.treatmentledger.api.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** Builds the ledger's application/problem+json bodies. */
public final class Problems {

    public static final String TYPE_PREFIX = "https://treatmentledger.org/problems/";

    private Problems() { }

    public record FieldError(String field, String message) { }

    public static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + slug.toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(title);
        return problem;
    }

    /** 404 with the code of what was not found, e.g. PATIENT_NOT_FOUND. */
    public static ProblemDetail notFound(String code, String detail) {
        ProblemDetail problem = problem(HttpStatus.NOT_FOUND, code, "Not found", detail);
        problem.setProperty("code", code);
        return problem;
    }

    public static ProblemDetail badRequest(String detail, List<FieldError> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors.stream()
                .map(e -> Map.of("field", e.field() == null ? "" : e.field(), "message", e.message()))
                .toList());
        return problem;
    }

    /** Seconds a client is asked to wait after a 503 LEDGER_UNAVAILABLE. */
    public static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

    /** 503 LEDGER_UNAVAILABLE: the database or the command/query infrastructure cannot be reached. */
    public static ProblemDetail unavailable() {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "The ledger cannot record or answer right now (its database or command/query infrastructure is unreachable). "
                        + "Retry later; a write retried with the same Idempotency-Key is recorded at most once.");
        problem.setProperty("code", "LEDGER_UNAVAILABLE");
        return problem;
    }

    /**
     * Whether {@code failure} or one of its causes says the database cannot be reached: no pooled connection in
     * time, a connection refused or broken (SQLState class 08), the server shutting down, starting up or out of
     * connections (57P01-57P03, 53300), or what Spring already classified so (a resource failure, a transaction
     * that could not begin, or whose commit or rollback failed: its connection was lost). Not a constraint
     * violation, a bad statement or a timeout of our own. Under the {@code axonserver} profile the events are read
     * from Axon Server: a read of its event store that lost the connection (the connector's
     * {@code StreamClosedException}, e.g. a patient's stream read by the clinic check) counts the same.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException
                    || t instanceof org.springframework.transaction.TransactionSystemException
                    || t instanceof io.axoniq.axonserver.connector.impl.StreamClosedException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                        || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The classes (and SQLStates) of a failure's causes, for a log line that quotes no message. */
    public static String causeChain(Throwable failure) {
        StringBuilder chain = new StringBuilder();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
            if (!chain.isEmpty()) chain.append(" <- ");
            chain.append(t.getClass().getSimpleName());
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                chain.append('(').append(sql.getSQLState()).append(')');
            }
        }
        return chain.toString();
    }

    public static ResponseEntity<ProblemDetail> entity(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
