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
 *
 * <p>Event wake-ups are paced: the first commit after a quiet spell wakes the processor at once, and the commits
 * that follow within {@code minWakeInterval} share one wake-up at its end. Woken for every commit, the processor
 * read and applied events one by one, and its queries and transactions took half of a single writer's throughput
 * (ledger-bench W1); paced, it takes a few events per batch and stays within milliseconds.
 */
public final class CommitSignals {

    private final long minWakeIntervalNanos;
    private final ScheduledExecutorService pacer;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile long lastWake = System.nanoTime() - Long.MAX_VALUE / 2;
    private final Set<Runnable> eventListeners = ConcurrentHashMap.newKeySet();
    private volatile Runnable otherNodes = () -> { };
    private final Object readModelMonitor = new Object();
    private long readModelCommits;

    public CommitSignals(Duration minWakeInterval) {
        this.minWakeIntervalNanos = minWakeInterval.toNanos();
        this.pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-commit-pacer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code listener} whenever events may have been committed; closing the handle stops that. */
    public AutoCloseable onEventsCommitted(Runnable listener) {
        eventListeners.add(listener);
        return () -> eventListeners.remove(listener);
    }

    /** How this node's own commits are announced to the other nodes (PostgresCommitListener). */
    public void announceLocalCommitsWith(Runnable announcer) {
        this.otherNodes = announcer;
    }

    /** Events were committed in this JVM: wakes this node's listeners and asks for the other nodes to be told. */
    public void localEventsCommitted() {
        eventsCommitted();
        otherNodes.run();
    }

    /**
     * Events were (or may have been) committed: the registered listeners run, on the caller's thread when the last
     * wake-up is at least {@code minWakeInterval} old, otherwise once at the end of that interval.
     */
    public void eventsCommitted() {
        long now = System.nanoTime();
        long since = now - lastWake;
        if (since >= minWakeIntervalNanos) {
            lastWake = now;
            wakeListeners();
        } else if (wakePending.compareAndSet(false, true)) {
            pacer.schedule(() -> {
                wakePending.set(false);
                lastWake = System.nanoTime();
                wakeListeners();
            }, minWakeIntervalNanos - since, TimeUnit.NANOSECONDS);
        }
    }

    private void wakeListeners() {
        for (Runnable listener : eventListeners) listener.run();
    }

    /** Stops the pacer's thread (a pending wake-up is dropped: the processors still poll). */
    public void close() {
        pacer.shutdownNow();
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

    int eventListenerCount() {
        return eventListeners.size();
    }
}
