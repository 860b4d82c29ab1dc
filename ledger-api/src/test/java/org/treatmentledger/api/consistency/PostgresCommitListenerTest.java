package org.treatmentledger.api.consistency;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes' commit listeners on one PostgreSQL, with the fallback poll off (one hour): one node's event commit,
 * announced after it committed, wakes the other node's event listeners, and a read-model transaction's NOTIFY
 * wakes the other node's waiting reads.
 */
class PostgresCommitListenerTest {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(6);
    }

    @AfterAll
    static void close() throws Exception {
        dataSource.close();
        postgres.close();
    }

    @Test
    void one_nodes_commits_wake_the_other_node() throws Exception {
        CommitSignals nodeA = new CommitSignals(Duration.ZERO);
        CommitSignals nodeB = new CommitSignals(Duration.ZERO);
        Semaphore wokenA = new Semaphore(0);
        nodeA.onEventsCommitted(wokenA::release);
        PostgresCommitListener listenerA = new PostgresCommitListener(dataSource, nodeA, Duration.ofHours(1), Duration.ZERO);
        PostgresCommitListener listenerB = new PostgresCommitListener(dataSource, nodeB, Duration.ofHours(1), Duration.ZERO);
        listenerA.start();
        listenerB.start();
        try {
            // A listener looks once when it (re)connects; wait for that before counting notifications.
            assertThat(wokenA.tryAcquire(5, TimeUnit.SECONDS)).as("first look after LISTEN").isTrue();
            Thread.sleep(300);
            wokenA.drainPermits();
            assertThat(wokenA.tryAcquire(700, TimeUnit.MILLISECONDS)).as("woken with nothing committed").isFalse();

            nodeB.localEventsCommitted();
            assertThat(wokenA.tryAcquire(5, TimeUnit.SECONDS)).as("node A woken by node B's commit").isTrue();

            long before = nodeA.readModelCommits();
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            tx.executeWithoutResult(status -> new JdbcTemplate(dataSource).execute("NOTIFY " + PostgresCommitListener.READ_MODELS));
            nodeA.awaitReadModelCommit(before, TimeUnit.SECONDS.toNanos(5));
            assertThat(nodeA.readModelCommits()).as("read-model commit signalled to node A").isGreaterThan(before);
        } finally {
            listenerA.stop();
            listenerB.stop();
            nodeA.close();
            nodeB.close();
        }
        assertThat(listenerA.isRunning()).isFalse();
    }
}
