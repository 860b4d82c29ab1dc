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
 * Tells the other nodes of this node's commits and hears theirs. One connection LISTENs on {@link #EVENTS} and
 * {@link #READ_MODELS} and turns each notification into a {@link CommitSignals} wake-up. This node's event commits
 * are announced on {@link #EVENTS} by a thread of its own, after they committed, at most once per
 * {@code minWakeInterval}, in a transaction of its own with {@code synchronous_commit = off}: a NOTIFY inside each
 * command's transaction (a trigger on the event table) halved a single writer's throughput (ledger-bench W1, 818
 * against 1,851 commands/s). Read-model transactions notify {@link #READ_MODELS} themselves. A notification is only
 * a wake-up; polling stays: the processor is also woken every {@code poll-interval}, so a lost connection or
 * notification delays, never loses, anything.
 */
public class PostgresCommitListener implements SmartLifecycle {

    /** Channel notified when events are committed (by the committing node's announcer). */
    public static final String EVENTS = "ledger_events";
    /** Channel notified when a read-model transaction commits. */
    public static final String READ_MODELS = "ledger_read_models";

    private static final Logger log = LoggerFactory.getLogger(PostgresCommitListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final long RECONNECT_DELAY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final CommitSignals signals;
    private final Duration pollInterval;
    private final long announceIntervalMillis;
    /** Payload of this node's announcements: its own come back to its listener and are ignored (no echo wake-up). */
    private final String origin = java.util.UUID.randomUUID().toString();
    private final Object announceMonitor = new Object();
    private boolean announceRequested;
    private volatile boolean running;
    private Thread listener;
    private Thread announcer;
    private ScheduledExecutorService poller;

    public PostgresCommitListener(DataSource dataSource, CommitSignals signals, Duration pollInterval,
                                  Duration announceInterval) {
        this.dataSource = dataSource;
        this.signals = signals;
        this.pollInterval = pollInterval;
        this.announceIntervalMillis = announceInterval.toMillis();
        signals.announceLocalCommitsWith(this::announceEvents);
    }

    /** Asks for this node's event commits to be announced to the other nodes (soon, once for many). */
    void announceEvents() {
        synchronized (announceMonitor) {
            if (announceRequested) return;
            announceRequested = true;
            announceMonitor.notifyAll();
        }
    }

    private void announce() {
        boolean warned = false;
        while (running) {
            try {
                synchronized (announceMonitor) {
                    while (!announceRequested && running) announceMonitor.wait(RECEIVE_TIMEOUT_MILLIS);
                    announceRequested = false;
                }
                if (!running) return;
                // SET LOCAL inside its own transaction: the pooled connection goes back unchanged.
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    connection.setAutoCommit(true);
                    statement.execute("BEGIN; SET LOCAL synchronous_commit = off; NOTIFY " + EVENTS + ", '" + origin + "'; COMMIT");
                }
                warned = false;
                if (announceIntervalMillis > 0) Thread.sleep(announceIntervalMillis);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                if (!warned) {
                    log.warn("Cannot announce commits to the other nodes ({}); they find them by polling", e.getMessage());
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

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        listener = new Thread(this::listen, "ledger-commit-listener");
        listener.setDaemon(true);
        listener.start();
        announcer = new Thread(this::announce, "ledger-commit-announcer");
        announcer.setDaemon(true);
        announcer.start();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-commit-poll");
            t.setDaemon(true);
            return t;
        });
        long millis = pollInterval.toMillis();
        poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
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
                    for (PGNotification n : notifications) {
                        if (EVENTS.equals(n.getName())) events |= !origin.equals(n.getParameter());
                        else if (READ_MODELS.equals(n.getName())) readModels = true;
                    }
                    if (events) signals.eventsCommitted();
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

    @Override
    public synchronized void stop() {
        running = false;
        if (poller != null) poller.shutdownNow();
        if (announcer != null) announcer.interrupt();
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
