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
 * Hears the other nodes' commits: one connection LISTENs on {@link #EVENTS} (a trigger on the event table
 * notifies it) and {@link #READ_MODELS} (every read-model transaction notifies it), and turns each notification
 * into a {@link CommitSignals} wake-up. A notification is only a wake-up; polling stays: the processor is also
 * woken every {@code poll-interval}, so a lost connection or notification delays, never loses, anything.
 */
public class PostgresCommitListener implements SmartLifecycle {

    /** Channel notified when events are committed (migration V10's trigger on domain_event_entry). */
    public static final String EVENTS = "ledger_events";
    /** Channel notified when a read-model transaction commits. */
    public static final String READ_MODELS = "ledger_read_models";

    private static final Logger log = LoggerFactory.getLogger(PostgresCommitListener.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 500;
    private static final long RECONNECT_DELAY_MILLIS = 1_000;

    private final DataSource dataSource;
    private final CommitSignals signals;
    private final Duration pollInterval;
    private volatile boolean running;
    private Thread listener;
    private ScheduledExecutorService poller;

    public PostgresCommitListener(DataSource dataSource, CommitSignals signals, Duration pollInterval) {
        this.dataSource = dataSource;
        this.signals = signals;
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
                        if (EVENTS.equals(n.getName())) events = true;
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
