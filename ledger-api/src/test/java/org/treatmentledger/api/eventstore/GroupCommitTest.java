package org.treatmentledger.api.eventstore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group-commit protocol without a database: a "store" that commits a list of writes at once, and can be
 * made to block (so writes pile up behind a commit) or to refuse a write. Writers run on their own threads;
 * the tests wait until each is parked in GroupCommit before going on, so no outcome depends on timing.
 */
class GroupCommitTest {

    /** A store whose transactions are all-or-nothing: a list with a "bad" write stores nothing. */
    static final class Store {
        final Set<String> committed = ConcurrentHashMap.newKeySet();
        final List<Integer> groups = new CopyOnWriteArrayList<>();
        final List<List<String>> transactions = new CopyOnWriteArrayList<>();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch firstEntered = new CountDownLatch(1);
        volatile boolean blocking = true;

        void write(List<String> writes) {
            firstEntered.countDown();
            if (blocking) await(gate);
            transactions.add(List.copyOf(writes));
            for (String w : writes) {
                if (w.startsWith("bad")) throw new IllegalArgumentException("refused: " + w);
                if (w.startsWith("down")) throw new IllegalStateException("database unreachable");
                if (committed.contains(w)) throw new IllegalStateException("written twice: " + w);
            }
            committed.addAll(writes);
        }

        /** Opens the gate; "first", which held the lead, must then have committed. */
        void open() {
            gate.countDown();
            assertThat(first.outcome()).isNull();
        }

        GroupCommit<String> groupCommit(int maxRows) {
            return new GroupCommit<>(this::write, w -> write(List.of(w)), IllegalArgumentException.class::isInstance,
                    String::length, maxRows, groups::add);
        }

        Writer first;

        /**
         * Starts "first" and waits until it is inside the store, holding the lead; then starts the writes one by
         * one, each parked behind it before the next starts (so they queue in this order).
         */
        List<Writer> queueBehindFirst(GroupCommit<String> commit, String... writes) throws InterruptedException {
            first = Writer.start(commit, "first", committed);
            assertThat(firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
            List<Writer> queued = new ArrayList<>();
            for (String w : writes) queued.add(Writer.start(commit, w, committed).parked());
            return queued;
        }

        static void await(CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("gate not opened");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** One caller of GroupCommit.commit on its own thread, and what it saw when commit returned. */
    static final class Writer {
        final String write;
        final AtomicBoolean committedOnReturn = new AtomicBoolean();
        final AtomicBoolean interruptedOnReturn = new AtomicBoolean();
        private Attempt attempt;

        private Writer(String write) {
            this.write = write;
        }

        static Writer start(GroupCommit<String> commit, String write, Set<String> committed) {
            Writer w = new Writer(write);
            w.attempt = Attempt.start(() -> {
                try {
                    commit.commit(write);
                    w.committedOnReturn.set(committed.contains(write));
                } finally {
                    w.interruptedOnReturn.set(Thread.currentThread().isInterrupted());
                }
            }, "writer-" + write);
            return w;
        }

        Writer parked() {
            attempt.parked();
            return this;
        }

        Thread thread() {
            return attempt.thread;
        }

        Throwable outcome() {
            return attempt.outcome();
        }
    }

    @Test
    void a_lone_write_is_committed_on_the_callers_thread_in_a_group_of_one() {
        Store store = new Store();
        store.blocking = false;
        AtomicReference<Thread> writer = new AtomicReference<>();
        GroupCommit<String> commit = new GroupCommit<>(ws -> { writer.set(Thread.currentThread()); store.write(ws); },
                w -> { throw new AssertionError("no retry expected"); }, t -> true, w -> 1, 10, store.groups::add);

        commit.commit("a");

        assertThat(store.committed).containsExactly("a");
        assertThat(store.groups).containsExactly(1);
        assertThat(writer.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void writes_that_arrive_during_a_commit_share_the_next_one_and_each_returns_only_once_committed() throws Exception {
        Store store = new Store();
        GroupCommit<String> commit = store.groupCommit(100);
        List<Writer> queued = store.queueBehindFirst(commit, "w0", "w1", "w2", "w3", "w4", "w5", "w6", "w7");
        assertThat(store.committed).isEmpty();

        store.open();

        for (Writer w : queued) {
            assertThat(w.outcome()).isNull();
            assertThat(w.committedOnReturn).as(w.write).isTrue();
        }
        assertThat(store.committed).hasSize(9);
        assertThat(store.groups).containsExactly(1, 8);
    }

    @Test
    void a_write_that_loses_a_race_fails_alone_and_the_rest_of_its_group_is_stored() throws Exception {
        Store store = new Store();
        GroupCommit<String> commit = store.groupCommit(100);
        List<Writer> queued = store.queueBehindFirst(commit, "w0", "w1", "bad", "w2", "w3");

        store.open();

        for (Writer w : queued) {
            if (w.write.equals("bad")) assertThat(w.outcome()).hasMessage("refused: bad");
            else assertThat(w.outcome()).as(w.write).isNull();
        }
        assertThat(store.committed).containsExactlyInAnyOrder("first", "w0", "w1", "w2", "w3");
        // The group of five failed as a whole (nothing of it stored), then each was written alone, in queue order.
        assertThat(store.transactions).containsExactly(List.of("first"), List.of("w0", "w1", "bad", "w2", "w3"),
                List.of("w0"), List.of("w1"), List.of("bad"), List.of("w2"), List.of("w3"));
        assertThat(store.groups).containsExactly(1, 1, 1, 1, 1);
    }

    @Test
    void any_other_failure_of_a_group_is_every_writes_failure_and_nothing_is_written_again() throws Exception {
        Store store = new Store();
        GroupCommit<String> commit = store.groupCommit(100);
        List<Writer> queued = store.queueBehindFirst(commit, "w0", "down", "w1");

        store.open();

        for (Writer w : queued) assertThat(w.outcome()).as(w.write).hasMessage("database unreachable");
        assertThat(store.transactions).containsExactly(List.of("first"), List.of("w0", "down", "w1"));
        assertThat(store.committed).containsExactly("first");
    }

    @Test
    void a_failed_group_of_one_is_not_written_a_second_time() {
        Store store = new Store();
        store.blocking = false;
        AtomicBoolean retried = new AtomicBoolean();
        GroupCommit<String> commit = new GroupCommit<>(store::write, w -> retried.set(true), t -> true, w -> 1, 10,
                store.groups::add);

        Writer bad = Writer.start(commit, "bad", store.committed);

        assertThat(bad.outcome()).isInstanceOf(IllegalArgumentException.class);
        assertThat(retried).isFalse();
        assertThat(store.groups).isEmpty();
    }

    @Test
    void a_group_holds_at_most_max_rows_unless_one_write_alone_is_larger() throws Exception {
        Store store = new Store();
        // A write's rows are its length: "bbb" adds three.
        GroupCommit<String> commit = store.groupCommit(5);
        List<Writer> queued = store.queueBehindFirst(commit, "aa", "bbb", "cccccccc", "d");

        store.open();

        for (Writer w : queued) assertThat(w.outcome()).isNull();
        assertThat(store.transactions).containsExactly(List.of("first"), List.of("aa", "bbb"), List.of("cccccccc"),
                List.of("d"));
    }

    @Test
    void a_failing_metric_does_not_fail_a_committed_write() {
        Store store = new Store();
        store.blocking = false;
        GroupCommit<String> commit = new GroupCommit<>(store::write, w -> store.write(List.of(w)), t -> true, w -> 1, 10,
                size -> { throw new IllegalStateException("registry closed"); });

        commit.commit("a");

        assertThat(store.committed).containsExactly("a");
    }

    @Test
    void an_error_in_a_group_transaction_is_every_writes_failure() throws Exception {
        Store store = new Store();
        Consumer<List<String>> together = ws -> {
            if (ws.size() > 1) throw new OutOfMemoryError("simulated");
            store.write(ws);
        };
        GroupCommit<String> commit = new GroupCommit<>(together, w -> store.write(List.of(w)), t -> false, w -> 1, 10,
                store.groups::add);
        List<Writer> queued = store.queueBehindFirst(commit, "a", "b");
        Writer a = queued.get(0);
        Writer b = queued.get(1);

        store.open();

        assertThat(a.outcome()).isInstanceOf(OutOfMemoryError.class);
        assertThat(b.outcome()).isInstanceOf(OutOfMemoryError.class);
        assertThat(store.committed).containsExactly("first");
    }

    @Test
    void an_interrupted_writer_still_waits_for_its_outcome_and_keeps_the_interrupt() throws Exception {
        Store store = new Store();
        GroupCommit<String> commit = store.groupCommit(100);
        Writer second = store.queueBehindFirst(commit, "second").get(0);

        second.thread().interrupt();
        second.parked(); // back to waiting, not returned

        store.open();
        assertThat(second.outcome()).isNull();
        assertThat(second.committedOnReturn).isTrue();
        assertThat(second.interruptedOnReturn).isTrue();
    }

    @Test
    void many_writers_lose_nothing_and_write_nothing_twice() throws Exception {
        Store store = new Store();
        store.blocking = false;
        GroupCommit<String> commit = new GroupCommit<>(store::write, w -> store.write(List.of(w)), t -> true, w -> 1, 16,
                store.groups::add);
        int threads = 16;
        int perThread = 500;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        String w = thread + "-" + i;
                        commit.commit(w);
                        if (!store.committed.contains(w)) throw new AssertionError("returned before commit: " + w);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread t : workers) t.join(60_000);

        assertThat(failures).isEmpty();
        assertThat(store.committed).hasSize(threads * perThread);
        assertThat(store.groups.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(store.groups).allSatisfy(g -> assertThat(g).isBetween(1, 16));
    }
}
