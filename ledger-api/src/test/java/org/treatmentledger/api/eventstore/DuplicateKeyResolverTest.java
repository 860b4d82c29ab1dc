package org.treatmentledger.api.eventstore;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** PostgreSQL's unique violation is recognised as a duplicate key; Axon's default resolver would miss it. */
class DuplicateKeyResolverTest {

    @Test
    void postgresql_unique_violation_is_a_duplicate_key_and_other_errors_are_not() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (aggregate VARCHAR(10), seq INT, PRIMARY KEY (aggregate, seq))");
            s.execute("INSERT INTO t VALUES ('p', 0)");
            SQLException duplicate = catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO t VALUES ('p', 0)"));
            SQLException other = catchThrowableOfType(SQLException.class, () -> s.execute("INSERT INTO t VALUES (NULL, 1)"));

            assertThat(duplicate.getSQLState()).isEqualTo("23505");
            assertThat(new DuplicateKeyResolver().isDuplicateKeyViolation(new RuntimeException("append failed", duplicate))).isTrue();
            assertThat(new DuplicateKeyResolver().isDuplicateKeyViolation(other)).isFalse();
            // Why the ledger registers its own: Axon's auto-configured resolver does not see PostgreSQL's error.
            assertThat(new JdbcSQLErrorCodesResolver().isDuplicateKeyViolation(duplicate)).isFalse();
        }
    }
}
