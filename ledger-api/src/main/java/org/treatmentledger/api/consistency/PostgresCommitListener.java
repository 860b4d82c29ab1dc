package org.treatmentledger.api.consistency;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Hears the other nodes' commits: one connection LISTENs on {@link #EVENTS} and {@link #READ_MODELS} (sent by each
 * node's {@link PostgresCommitAnnouncer} after its commits) and turns each notification of another node into a
 * {@link CommitSignals} wake-up; this node's own notifications are ignored, and presence notifications only record
 * that another node is there. A notification is only a wake-up; polling stays: the processor is also woken every
 * {@code poll-interval}, so a lost connection or notification delays, never loses, anything.
 */
public class PostgresCommitListener implements SmartLifecycle {

    /** Channel notified when events were committed, and of every node's presence. */
    public static final String EVENTS = "ledger_events";
    /** Channel notified when read-model transactions committed. */
    public static final String READ_MODELS = "ledger_read_models";

    private static final Logger log = LoggerFactory.getLogger(PostgresCommitListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final long RECONNECT_DELAY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final CommitSignals signals;
    private final CommitOrigin origin;
    private final PostgresCommitAnnouncer announcer;
    private final Duration pollInterval;
    private volatile boolean running;
    private Thread listener;
    private ScheduledExecutorService poller;

    /**
     * @param origin         this node's name in notifications (its own are ignored) and the other nodes it heard
     * @param announcer      this node's announcer, started and stopped with the listener; it answers at once when
     *                       another node is heard after none was
     */
    public PostgresCommitListener(DataSource dataSource, CommitSignals signals, CommitOrigin origin,
                                  PostgresCommitAnnouncer announcer, Duration pollInterval) {
        this.dataSource = dataSource;
        this.signals = signals;
        this.origin = origin;
        this.announcer = announcer;
        this.pollInterval = pollInterval;
    }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        listener = new Thread(this::listen, "ledger-commit-listener");
        listener.setDaemon(true);
        listener.start();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-commit-poll");
            t.setDaemon(true);
            return t;
        });
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
        announcer.start();
    }

    private void poll() {
        try {
            signals.eventsCommitted();
            signals.readModelsCommitted();
        } catch (RuntimeException e) {
            log.warn("A commit listener failed on the fallback poll", e);
        }
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + EVENTS + "; LISTEN " + READ_MODELS);
                }
                if (warned) log.info("Listening for commits again ({} and {})", EVENTS, READ_MODELS);
                warned = false;
                // Anything committed while we were not listening is found by looking once more.
                poll();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(RECEIVE_TIMEOUT_MILLIS);
                    if (notifications == null) continue;
                    boolean events = false;
                    boolean readModels = false;
                    boolean reader = false;
                    for (PGNotification n : notifications) {
                        String payload = n.getParameter();
                        // This node's own commits were signalled in memory when they committed.
                        if (origin.isOwn(payload) || origin.isOwn(presenceOf(payload)) || origin.isOwn(readerOf(payload))) continue;
                        if (origin.otherNodeHeard()) announcer.answerPresence();
                        if (presenceOf(payload) != null) continue;
                        if (readerOf(payload) != null) {
                            reader = true;
                            continue;
                        }
                        if (EVENTS.equals(n.getName())) events = true;
                        else if (READ_MODELS.equals(n.getName())) readModels = true;
                    }
                    if (reader) signals.remoteReaderWaiting();
                    else if (events) signals.eventsCommitted();
                    if (readModels) signals.readModelsCommitted();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                if (!warned) {
                    log.warn("Not listening for commits ({}); the read models fall back to polling every {} ms until the"
                            + " database answers again", e.getMessage(), pollInterval.toMillis());
                    warned = true;
                }
                try {
                    Thread.sleep(RECONNECT_DELAY_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** The node name of a waiting read's payload, or null for any other notification. */
    private static String readerOf(String payload) {
        return payload != null && payload.endsWith(PostgresCommitAnnouncer.READER)
                ? payload.substring(0, payload.length() - PostgresCommitAnnouncer.READER.length()) : null;
    }

    /** The node name of a presence notification's payload, or null for a commit notification. */
    private static String presenceOf(String payload) {
        return payload != null && payload.endsWith(PostgresCommitAnnouncer.PRESENCE)
                ? payload.substring(0, payload.length() - PostgresCommitAnnouncer.PRESENCE.length()) : null;
    }

    @Override
    public synchronized void stop() {
        announcer.stop();
        running = false;
        if (poller != null) poller.shutdownNow();
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(RECEIVE_TIMEOUT_MILLIS + 500L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started after, and stopped before, the event processors' phase, and well before the DataSource closes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1024;
    }
}
