package org.treatmentledger.api.consistency;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's wake-ups, from commits in this JVM and from PostgreSQL notifications of the other nodes' commits:
 * new events wake the read models' processor (which otherwise polls), and read-model commits wake the reads
 * waiting to see a write. A signal only says "look again": every receiver checks the database itself, so a
 * lost or duplicated signal costs time, never correctness.
 */
public final class CommitSignals {

    private final Set<Runnable> eventListeners = ConcurrentHashMap.newKeySet();
    private volatile Runnable announceEvents = () -> { };
    private volatile Runnable announceReadModels = () -> { };
    private final Object readModelMonitor = new Object();
    private long readModelCommits;

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

    /** Events were (or may have been) committed: every registered listener runs, on the caller's thread. */
    public void eventsCommitted() {
        for (Runnable listener : eventListeners) listener.run();
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
