package org.treatmentledger.api.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
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
 * If the shared transaction fails, nothing of it is stored; every write of the group is then written again
 * {@code alone}, so one write that lost a race (or is bad) fails by itself and the others are stored.
 *
 * @param <T> one caller's write (one command's events)
 */
public final class GroupCommit<T> {

    private final Consumer<List<T>> together;
    private final Consumer<T> alone;
    private final ToIntFunction<T> rows;
    private final int maxRows;
    private final IntConsumer groupSizes;
    private final ReentrantLock lead = new ReentrantLock();
    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();

    /**
     * @param together   writes several callers' writes in one transaction, or throws and stores none of them
     * @param alone      writes one caller's write in its own transaction
     * @param rows       rows a write adds (a group holds at most {@code maxRows}, unless one write alone is larger)
     * @param maxRows    bound on one transaction's size
     * @param groupSizes told the number of writes of every group committed together (for metrics)
     */
    public GroupCommit(Consumer<List<T>> together, Consumer<T> alone, ToIntFunction<T> rows, int maxRows,
                       IntConsumer groupSizes) {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be at least 1");
        this.together = Objects.requireNonNull(together);
        this.alone = Objects.requireNonNull(alone);
        this.rows = Objects.requireNonNull(rows);
        this.maxRows = maxRows;
        this.groupSizes = Objects.requireNonNull(groupSizes);
    }

    /** Returns once {@code write} is committed; throws the exception that made it fail (nothing of it is then stored). */
    public void commit(T write) {
        Pending<T> pending = new Pending<>(write, Thread.currentThread());
        queue.add(pending);
        boolean interrupted = false;
        while (!pending.done) {
            if (lead.tryLock()) {
                try {
                    if (!pending.done) commitQueued();
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
        int groupRows = 0;
        for (Pending<T> next = queue.peek(); next != null; next = queue.peek()) {
            int size = rows.applyAsInt(next.write);
            if (!group.isEmpty() && groupRows + size > maxRows) break;
            queue.poll();
            group.add(next);
            groupRows += size;
        }
        if (group.isEmpty()) return;
        Throwable groupFailure = null;
        try {
            together.accept(group.stream().map(p -> p.write).toList());
        } catch (Throwable t) {
            groupFailure = t;
        }
        if (groupFailure == null) {
            groupSizes.accept(group.size());
            group.forEach(p -> p.complete(null));
        } else if (group.size() == 1) {
            group.get(0).complete(groupFailure);
        } else {
            for (Pending<T> p : group) {
                Throwable failure = null;
                try {
                    alone.accept(p.write);
                    groupSizes.accept(1);
                } catch (Throwable t) {
                    failure = t;
                }
                p.complete(failure);
            }
        }
    }

    private static RuntimeException asUnchecked(Throwable failure) {
        if (failure instanceof RuntimeException e) return e;
        if (failure instanceof Error e) throw e;
        return new IllegalStateException(failure);
    }

    private static final class Pending<T> {
        final T write;
        final Thread thread;
        Throwable failure;          // written before done, read after it (done is volatile)
        volatile boolean done;

        Pending(T write, Thread thread) {
            this.write = write;
            this.thread = thread;
        }

        void complete(Throwable failure) {
            this.failure = failure;
            this.done = true;
            if (thread != Thread.currentThread()) LockSupport.unpark(thread);
        }
    }
}
