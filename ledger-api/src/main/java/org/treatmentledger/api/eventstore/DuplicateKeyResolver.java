package org.treatmentledger.api.eventstore;

import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;

import java.sql.SQLException;

/**
 * Tells Axon's JDBC event store that an append lost a race: PostgreSQL reports the unique
 * (aggregateidentifier, sequencenumber) key violation as SQLState 23505 in a plain PSQLException, which Axon's
 * auto-configured {@link JdbcSQLErrorCodesResolver} does not recognise (it only looks for
 * {@link java.sql.SQLIntegrityConstraintViolationException}); the append would then fail as an opaque
 * EventStoreException (500) instead of a ConcurrencyException the command gateway retries.
 */
public class DuplicateKeyResolver implements PersistenceExceptionResolver {

    /** SQL standard class 23 "integrity constraint violation", 505 "unique violation". */
    static final String UNIQUE_VIOLATION = "23505";

    private final JdbcSQLErrorCodesResolver fallback = new JdbcSQLErrorCodesResolver();

    @Override
    public boolean isDuplicateKeyViolation(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (UNIQUE_VIOLATION.equals(s.getSQLState())) return true;
                }
            }
        }
        return fallback.isDuplicateKeyViolation(exception);
    }
}
