package org.treatmentledger.api.consistency;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This node's wake-ups, from commits in this JVM and from PostgreSQL notifications of the other nodes' commits:
 * new events wake the read models' processor (which otherwise polls), and read-model commits wake the reads
 * waiting to see a write. A signal only says "look again": every receiver checks the database itself, so a
 * lost or duplicated signal costs time, never correctness.
 * <p>
 * Event wake-ups are paced: the first commit after a quiet spell wakes the listeners at once, and the commits that
 * follow within {@code minWakeInterval} share one wake-up at its end. Woken for every commit, the processor ran one
 * read-model transaction per command, which cost a single writer most of its throughput (docs/PERFORMANCE.md, W1
 * at one client); paced, it takes the events of several commands per transaction. A read that waits for a write
 * does not wait for the pace: it wakes the processor at once ({@link #readerWaiting}), so write-to-visible stays
 * the processor's own time (W5).
 */
public final class CommitSignals implements AutoCloseable {

    private final long minWakeIntervalNanos;
    private final ScheduledExecutorService pacer;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile long lastWake;

    private final Set<Runnable> eventListeners = ConcurrentHashMap.newKeySet();
    private volatile Runnable announceEvents = () -> { };
    private volatile Runnable announceReadModels = () -> { };
    private volatile Runnable announceReader = () -> { };
    private final Object readModelMonitor = new Object();
    private long readModelCommits;

    /** Every commit wakes the listeners at once (tests that count wake-ups). */
    public CommitSignals() {
        this(Duration.ZERO);
    }

    public CommitSignals(Duration minWakeInterval) {
        this.minWakeIntervalNanos = minWakeInterval.toNanos();
        this.lastWake = System.nanoTime() - minWakeIntervalNanos;
        this.pacer = minWakeIntervalNanos == 0 ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ledger-commit-pacer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Runs {@code listener} whenever events may have been committed; running the returned handle stops that. */
    public Runnable onEventsCommitted(Runnable listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    /** How this node's own commits are told to the other nodes (PostgresCommitAnnouncer). */
    public void announceLocalCommitsWith(Runnable events, Runnable readModels) {
        this.announceEvents = events;
        this.announceReadModels = readModels;
    }

    /**
     * How a read waiting here is told to the other nodes: the node whose processor holds the patient's segment
     * may be another one, and its wake-ups are paced too.
     */
    public void announceWaitingReadersWith(Runnable reader) {
        this.announceReader = reader;
    }

    /** Events were committed in this JVM: this node's listeners run, and the other nodes are to be told. */
    public void localEventsCommitted() {
        eventsCommitted();
        announceEvents.run();
    }

    /** A read-model transaction committed in this JVM: this node's waiting reads look again, the other nodes are to be told. */
    public void localReadModelsCommitted() {
        readModelsCommitted();
        announceReadModels.run();
    }

    /**
     * Events were (or may have been) committed: the registered listeners run, on the caller's thread when the last
     * wake-up is at least {@code minWakeInterval} old, otherwise once, on the pacer's thread, when it is.
     */
    public void eventsCommitted() {
        long now = System.nanoTime();
        long since = now - lastWake;
        if (pacer == null || since >= minWakeIntervalNanos) {
            lastWake = now;
            wakeListeners();
        } else if (wakePending.compareAndSet(false, true)) {
            try {
                pacer.schedule(this::pacedWake, minWakeIntervalNanos - since, TimeUnit.NANOSECONDS);
            } catch (RuntimeException shutDown) {
                // Closing: the processors stop too.
                wakePending.set(false);
            }
        }
    }

    /**
     * A read waits for the read models to reach a write: this node's listeners run at once, whatever the pace, and
     * the other nodes are told, so that whichever node holds the read models' segment applies the write at once.
     */
    public void readerWaiting() {
        remoteReaderWaiting();
        announceReader.run();
    }

    /** A read waits on another node: this node's listeners run at once, whatever the pace (nothing is announced). */
    public void remoteReaderWaiting() {
        lastWake = System.nanoTime();
        wakeListeners();
    }

    private void pacedWake() {
        // Cleared before the listeners run, so a commit during them schedules the next wake-up: none is lost.
        wakePending.set(false);
        lastWake = System.nanoTime();
        wakeListeners();
    }

    private void wakeListeners() {
        for (Runnable listener : eventListeners) listener.run();
    }

    /** Stops the pacer's thread. */
    @Override
    public void close() {
        if (pacer != null) pacer.shutdownNow();
    }

    /** A read-model transaction committed (here or on another node). */
    public void readModelsCommitted() {
        synchronized (readModelMonitor) {
            readModelCommits++;
            readModelMonitor.notifyAll();
        }
    }

    /** How many read-model commits were signalled so far; pass it to {@link #awaitReadModelCommit}. */
    public long readModelCommits() {
        synchronized (readModelMonitor) {
            return readModelCommits;
        }
    }

    /**
     * Waits until a read-model commit after the {@code seen}-th was signalled, or {@code maxNanos} passed. Taking
     * the count before looking at the read model and waiting on it afterwards loses no commit in between.
     */
    public void awaitReadModelCommit(long seen, long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxNanos;
        synchronized (readModelMonitor) {
            while (readModelCommits == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                readModelMonitor.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }
}
