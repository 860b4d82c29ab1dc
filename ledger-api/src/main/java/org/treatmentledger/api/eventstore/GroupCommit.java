package org.treatmentledger.api.eventstore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Group commit: writes that arrive while another write is being committed wait, and are then committed
 * together in one transaction. A caller returns only once its own write is committed, or throws the failure
 * that concerns its write alone.
 * <p>
 * There is no committer thread. Each caller queues its write and tries to become the leader; the leader takes
 * everything queued (up to {@code maxRows}), writes it with {@code together}, wakes the writers it committed,
 * and hands the lead to the oldest write still queued. So a lone writer commits on its own thread without a
 * hand-off, and under load the writes that pile up behind one commit share the next.
 * <p>
 * If the shared transaction fails, nothing of it is stored. If it failed because one of its writes lost a race
 * ({@code retryAlone}: a duplicate key), every write of the group is written again {@code alone}, so the loser
 * fails by itself and the others are stored. Any other failure (the database unreachable, a commit whose outcome
 * is unknown) is every write's failure: writing them again one by one would only multiply the wait, or report
 * "lost a race" for writes that are in fact stored.
 *
 * @param <T> one caller's write (one command's events)
 */
public final class GroupCommit<T> {

    private final Consumer<List<T>> together;
    private final Consumer<T> alone;
    private final Predicate<Throwable> retryAlone;
    private final ToIntFunction<T> rows;
    private final int maxRows;
    private final IntConsumer groupSizes;
    private final ReentrantLock lead = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param together   writes several callers' writes in one transaction, or throws and stores none of them
     * @param alone      writes one caller's write in its own transaction
     * @param retryAlone whether a failure of {@code together} may be the fault of one write (then each is retried alone)
     * @param rows       rows a write adds (a group holds at most {@code maxRows}, unless one write alone is larger)
     * @param maxRows    bound on one transaction's size
     * @param groupSizes told the number of writes of every group committed together (for metrics; may not fail
     *                   a write: its exceptions are ignored)
     */
    public GroupCommit(Consumer<List<T>> together, Consumer<T> alone, Predicate<Throwable> retryAlone,
                       ToIntFunction<T> rows, int maxRows, IntConsumer groupSizes) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be at least 1");
        this.together = Objects.requireNonNull(together);
        this.alone = Objects.requireNonNull(alone);
        this.retryAlone = Objects.requireNonNull(retryAlone);
        this.rows = Objects.requireNonNull(rows);
        this.maxRows = maxRows;
        this.groupSizes = Objects.requireNonNull(groupSizes);
    }

    /**
     * Returns once {@code write} is committed. Otherwise throws the failure of its transaction (shared by every write
     * of a group that failed as a whole), exactly as a write in a transaction of its own would have.
     */
    public void commit(T write) {
        Pending<T> pending = new Pending<>(write, rows.applyAsInt(write), Thread.currentThread());
        // Cleared while this thread may lead: an interrupted leader would fail the whole group (a JDBC driver or
        // connection pool gives up on interrupted threads). Restored before returning.
        boolean interrupted = Thread.interrupted();
        queue.add(pending);
        while (!pending.done) {
            if (lead.tryLock()) {
                try {
                    if (!pending.done) commitQueued();
                } catch (Throwable ignored) {
                    // Already the failure of every write commitQueued took (see its finally). Thrown on, it would
                    // leave this thread's own write queued, to be committed after its caller was told it failed.
                } finally {
                    lead.unlock();
                }
                // Whoever queued while this thread led is waiting for a leader; the oldest becomes the next one.
                Pending<T> next = queue.peek();
                if (next != null) LockSupport.unpark(next.thread);
            } else {
                LockSupport.park(this);
                // Not given up on interruption: the write may be in a commit already, and a caller told "failed"
                // must not find it stored. The commit is short; the interrupt is passed on afterwards.
                if (Thread.interrupted()) interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (pending.failure != null) throw asUnchecked(pending.failure);
    }

    /** Called by the leader only, so peek-then-poll cannot race with another taker. */
    private void commitQueued() {
        List<Pending<T>> group = new ArrayList<>();
        try {
            int groupRows = 0;
            for (Pending<T> next = queue.peek(); next != null; next = queue.peek()) {
                if (!group.isEmpty() && groupRows + next.rows > maxRows) break;
                queue.poll();
                group.add(next);
                groupRows += next.rows;
            }
            if (group.isEmpty()) return;
            Throwable groupFailure = null;
            try {
                together.accept(group.stream().map(p -> p.write).toList());
            } catch (Throwable t) {
                groupFailure = t;
            }
            if (groupFailure == null) {
                group.forEach(p -> p.complete(null));
                record(group.size());
            } else if (group.size() == 1 || !retryAlone.test(groupFailure)) {
                for (Pending<T> p : group) p.complete(groupFailure);
            } else {
                for (Pending<T> p : group) {
                    Throwable failure = null;
                    try {
                        alone.accept(p.write);
                    } catch (Throwable t) {
                        failure = t;
                    }
                    p.complete(failure);
                    if (failure == null) record(1);
                }
            }
        } finally {
            // Whatever went wrong above, no caller taken from the queue may wait forever. Only writes that were
            // not yet written are left here, so "not committed" is true of them.
            for (Pending<T> p : group) {
                if (!p.done) p.complete(new IllegalStateException("The group commit failed before this write was committed"));
            }
        }
    }

    private void record(int size) {
        try {
            groupSizes.accept(size);
        } catch (RuntimeException ignored) {
            // A metric must never turn a committed write into a failure.
        }
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException e) return e;
        if (failure instanceof Error e) throw e;
        return new IllegalStateException(failure);
    }

    private static final class Pending<T> {
        final T write;
        final int rows;
        final Thread thread;
        Throwable failure;          // written before done, read after it (done is volatile)
        volatile boolean done;

        Pending(T write, int rows, Thread thread) {
            this.write = write;
            this.rows = rows;
            this.thread = thread;
        }

        void complete(Throwable failure) {
            this.failure = failure;
            this.done = true;
            if (thread != Thread.currentThread()) LockSupport.unpark(thread);
        }
    }
}
