package org.treatmentledger.api.consistency;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another node's commits reach this node as wake-ups, through the migrated schema's trigger and PostgreSQL's
 * LISTEN/NOTIFY, with the fallback poll off (one hour): an event row committed on another connection wakes the
 * event listeners, a rolled-back one does not, and a read-model transaction's NOTIFY wakes the waiting reads.
 */
class PostgresCommitListenerTest {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource dataSource;
    private static JdbcTemplate otherNode;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(4);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        otherNode = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void close() throws Exception {
        dataSource.close();
        postgres.close();
    }

    @Test
    void a_committed_event_on_another_connection_wakes_this_node_and_a_rolled_back_one_does_not() throws Exception {
        CommitSignals signals = new CommitSignals();
        Semaphore woken = new Semaphore(0);
        signals.onEventsCommitted(woken::release);
        PostgresCommitListener listener = new PostgresCommitListener(dataSource, signals, Duration.ofHours(1));
        listener.start();
        try {
            // The listener looks once when it (re)connects; wait for that before counting notifications.
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("first look after LISTEN").isTrue();
            woken.drainPermits();

            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            tx.executeWithoutResult(status -> {
                insertEvent();
                status.setRollbackOnly();
            });
            assertThat(woken.tryAcquire(700, TimeUnit.MILLISECONDS)).as("woken by a rolled-back insert").isFalse();

            insertEvent();
            assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("woken by another connection's committed event").isTrue();

            long before = signals.readModelCommits();
            tx.executeWithoutResult(status -> otherNode.execute("NOTIFY " + PostgresCommitListener.READ_MODELS));
            signals.awaitReadModelCommit(before, TimeUnit.SECONDS.toNanos(5));
            assertThat(signals.readModelCommits()).as("read-model commit signalled").isGreaterThan(before);
        } finally {
            listener.stop();
        }
        assertThat(listener.isRunning()).isFalse();
    }

    private static void insertEvent() {
        otherNode.update("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier,"
                        + " payload, payloadtype, timestamp) VALUES (?, 0, 'Patient', ?, ?, 'x', '2026-01-01T00:00:00Z')",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), new byte[] {1});
    }
}
