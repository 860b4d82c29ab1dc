package org.treatmentledger.api.consistency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Tells the other nodes of this node's commits, after they committed: one thread sends {@code NOTIFY} on
 * {@link PostgresCommitListener#EVENTS} or {@link PostgresCommitListener#READ_MODELS}, with this node's
 * {@link CommitOrigin} as the payload, in a transaction of its own with {@code synchronous_commit = off}. The
 * commits that arrive while an announcement is being sent share the next one. Announcing after the commit, off
 * the committing thread, keeps PostgreSQL's notification lock and wake-ups out of every command's transaction.
 *
 * <p>Commits are announced only while another node has been heard ({@link CommitOrigin#otherNodesListening}); to
 * be heard, every node also sends a presence notification when it starts and every {@code presenceInterval}. A
 * node that starts next to running ones is heard at once, and is told of their commits from then on. A lost
 * announcement only delays: the other nodes still poll. It runs while this node's {@link PostgresCommitListener}
 * runs, which starts and stops it: presence is learned by listening.
 */
public class PostgresCommitAnnouncer {

    /** Payload suffix of a presence notification: it wakes nothing, it only says "this node is here". */
    static final String PRESENCE = ":presence";

    /** Payload suffix of a waiting read: the other nodes wake their read models at once, whatever their pace. */
    static final String READER = ":reader";

    private static final Logger log = LoggerFactory.getLogger(PostgresCommitAnnouncer.class);
    private static final long RETRY_DELAY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final CommitOrigin origin;
    private final long presenceIntervalNanos;
    private final Object monitor = new Object();
    private boolean events;
    private boolean readModels;
    private boolean reader;
    private boolean presenceNow;
    private volatile boolean running;
    private Thread thread;

    public PostgresCommitAnnouncer(DataSource dataSource, CommitSignals signals, CommitOrigin origin,
                                   Duration presenceInterval) {
        this.dataSource = dataSource;
        this.origin = origin;
        this.presenceIntervalNanos = presenceInterval.toNanos();
        signals.announceLocalCommitsWith(this::eventsCommitted, this::readModelsCommitted);
        signals.announceWaitingReadersWith(this::readerWaiting);
    }

    /** A read waits on this node for the read models. */
    void readerWaiting() {
        if (!origin.otherNodesListening()) return;
        synchronized (monitor) {
            reader = true;
            monitor.notifyAll();
        }
    }

    /** This JVM committed events. */
    void eventsCommitted() {
        if (!origin.otherNodesListening()) return;
        synchronized (monitor) {
            events = true;
            monitor.notifyAll();
        }
    }

    /** This JVM committed read-model rows. */
    void readModelsCommitted() {
        if (!origin.otherNodesListening()) return;
        synchronized (monitor) {
            readModels = true;
            monitor.notifyAll();
        }
    }

    /** Another node was heard for the first time (or again after a silence): it is told at once that this one is here. */
    void answerPresence() {
        synchronized (monitor) {
            presenceNow = true;
            monitor.notifyAll();
        }
    }

    private void announce() {
        boolean warned = false;
        long nextPresence = System.nanoTime();
        while (running) {
            boolean announceEvents;
            boolean announceReadModels;
            boolean announceReader;
            try {
                synchronized (monitor) {
                    while (running && !events && !readModels && !reader && !presenceNow && System.nanoTime() - nextPresence < 0) {
                        monitor.wait(Math.max(1, (nextPresence - System.nanoTime()) / 1_000_000));
                    }
                    announceEvents = events;
                    announceReadModels = readModels;
                    announceReader = reader;
                    if (presenceNow) nextPresence = System.nanoTime();
                    events = false;
                    readModels = false;
                    reader = false;
                    presenceNow = false;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!running) return;
            boolean presence = System.nanoTime() - nextPresence >= 0;
            StringBuilder sql = new StringBuilder("BEGIN; SET LOCAL synchronous_commit = off;");
            if (announceEvents) notify(sql, PostgresCommitListener.EVENTS, origin.name());
            if (announceReadModels) notify(sql, PostgresCommitListener.READ_MODELS, origin.name());
            if (announceReader) notify(sql, PostgresCommitListener.EVENTS, origin.name() + READER);
            if (presence) notify(sql, PostgresCommitListener.EVENTS, origin.name() + PRESENCE);
            sql.append(" COMMIT");
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.execute(sql.toString());
                if (presence) nextPresence = System.nanoTime() + presenceIntervalNanos;
                warned = false;
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                if (!warned) {
                    log.warn("Cannot announce commits to the other nodes ({}); they find them by polling", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(RETRY_DELAY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private static void notify(StringBuilder sql, String channel, String payload) {
        // The payload is a UUID (and a fixed suffix): nothing to escape.
        sql.append(" NOTIFY ").append(channel).append(", '").append(payload).append("';");
    }

    synchronized void start() {
        if (running) return;
        running = true;
        thread = new Thread(this::announce, "ledger-commit-announcer");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isRunning() {
        return running;
    }
}
