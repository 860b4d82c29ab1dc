package org.treatmentledger.api.consistency;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes tell each other of their commits through PostgreSQL's LISTEN/NOTIFY, with the fallback poll off (one
 * hour): two nodes hear each other's presence; a commit on one wakes the other's event listeners or waiting reads;
 * a node is not woken a second time by its own commits; and a node that hears no other one sends no commit
 * notification at all (only its presence). Each node is a {@link CommitSignals}, a {@link CommitOrigin}, an
 * announcer and a listener, as ReadYourWritesConfiguration wires them.
 */
class PostgresCommitListenerTest {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource shared;
    private static HikariDataSource alone;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        shared = pool("postgres");
        Flyway.configure().dataSource(shared).locations("classpath:db/migration").load().migrate();
        new JdbcTemplate(shared).execute("CREATE DATABASE alone");
        alone = pool("alone");
    }

    private static HikariDataSource pool(String database) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.getJdbcUrl("postgres", database));
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(4);
        return pool;
    }

    @AfterAll
    static void close() throws Exception {
        if (alone != null) alone.close();
        if (shared != null) shared.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void two_nodes_wake_each_other_and_neither_is_woken_by_its_own_commits() throws Exception {
        Node a = new Node(shared);
        Node b = new Node(shared);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> a.origin.otherNodesListening() && b.origin.otherNodesListening());
            // Each listener looks once when it connects; let those wake-ups pass before counting.
            Thread.sleep(300);
            a.woken.drainPermits();

            b.signals.localEventsCommitted();
            assertThat(a.woken.tryAcquire(5, TimeUnit.SECONDS)).as("woken by the other node's commit").isTrue();

            a.signals.localEventsCommitted();
            assertThat(a.woken.tryAcquire(1, TimeUnit.SECONDS)).as("its own commit, signalled in memory").isTrue();
            assertThat(a.woken.tryAcquire(700, TimeUnit.MILLISECONDS)).as("woken again by its own notification").isFalse();

            long before = a.signals.readModelCommits();
            b.signals.localReadModelsCommitted();
            a.signals.awaitReadModelCommit(before, TimeUnit.SECONDS.toNanos(5));
            assertThat(a.signals.readModelCommits()).as("the other node's read-model commit signalled").isGreaterThan(before);
        } finally {
            a.stop();
            b.stop();
        }
        assertThat(a.listener.isRunning()).isFalse();
        assertThat(a.announcer.isRunning()).isFalse();
    }

    @Test
    void a_node_that_hears_no_other_sends_no_commit_notifications() throws Exception {
        try (Connection observer = alone.getConnection(); Statement listen = observer.createStatement()) {
            listen.execute("LISTEN " + PostgresCommitListener.EVENTS + "; LISTEN " + PostgresCommitListener.READ_MODELS);
            Node node = new Node(alone);
            List<String> payloads = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    node.signals.localEventsCommitted();
                    node.signals.localReadModelsCommitted();
                }
                PGConnection pg = observer.unwrap(PGConnection.class);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
                while (System.nanoTime() < deadline) {
                    PGNotification[] received = pg.getNotifications(100);
                    if (received != null) for (PGNotification n : received) payloads.add(n.getName() + " " + n.getParameter());
                }
            } finally {
                node.stop();
            }
            assertThat(payloads).as("its presence only").containsExactly(
                    PostgresCommitListener.EVENTS + " " + node.origin.name() + PostgresCommitAnnouncer.PRESENCE);
            assertThat(node.origin.otherNodesListening()).isFalse();
        }
    }

    /** One node's commit notifications, wired as ReadYourWritesConfiguration does. */
    private static final class Node {
        final CommitSignals signals = new CommitSignals();
        final CommitOrigin origin = new CommitOrigin(Duration.ofSeconds(7));
        final Semaphore woken = new Semaphore(0);
        final PostgresCommitAnnouncer announcer;
        final PostgresCommitListener listener;

        Node(HikariDataSource dataSource) {
            signals.onEventsCommitted(woken::release);
            announcer = new PostgresCommitAnnouncer(dataSource, signals, origin, Duration.ofSeconds(2));
            listener = new PostgresCommitListener(dataSource, signals, origin, announcer, Duration.ofHours(1));
            listener.start();
        }

        void stop() {
            listener.stop();
        }
    }
}
