package org.treatmentledger.api.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The group-commit protocol without a database: a "store" that commits a list of writes at once, and can be
 * made to block (to let writes pile up behind a commit) or to refuse a write (to show failures stay alone).
 */
class GroupCommitTest {

    /** A store whose transactions are all-or-nothing: a list with a "bad" write stores nothing. */
    static final class Store {
        final Set<String> committed = ConcurrentHashMap.newKeySet();
        final List<Integer> groups = new CopyOnWriteArrayList<>();
        final List<Integer> transactions = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final CountDownLatch firstEntered = new CountDownLatch(1);

        void write(List<String> writes) {
            firstEntered.countDown();
            await(gate);
            transactions.add(writes.size());
            for (String w : writes) {
                if (w.startsWith("bad")) throw new IllegalArgumentException("refused: " + w);
                if (committed.contains(w)) throw new IllegalStateException("written twice: " + w);
            }
            committed.addAll(writes);
        }

        static void await(CountDownLatch latch) {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("gate not opened");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        GroupCommit<String> groupCommit(int maxRows) {
            return new GroupCommit<>(this::write, w -> write(List.of(w)), w -> 1, maxRows, groups::add);
        }
    }

    @Test
    void a_lone_write_is_committed_on_the_callers_thread_in_a_group_of_one() {
        Store store = new Store();
        AtomicReference<Thread> writer = new AtomicReference<>();
        GroupCommit<String> commit = new GroupCommit<>(ws -> { writer.set(Thread.currentThread()); store.write(ws); },
                w -> { throw new AssertionError("no retry expected"); }, w -> 1, 10, store.groups::add);

        commit.commit("a");

        assertThat(store.committed).containsExactly("a");
        assertThat(store.groups).containsExactly(1);
        assertThat(writer.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void writes_that_arrive_during_a_commit_share_the_next_one_and_each_returns_only_once_committed() throws Exception {
        Store store = new Store();
        store.gate = new CountDownLatch(1);
        GroupCommit<String> commit = store.groupCommit(100);
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<?> first = pool.submit(() -> commit.commit("first"));
            assertThat(store.firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> queued = new ArrayList<>();
            List<String> returnedUncommitted = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 8; i++) {
                String w = "w" + i;
                queued.add(pool.submit(() -> {
                    commit.commit(w);
                    if (!store.committed.contains(w)) returnedUncommitted.add(w);
                }));
            }
            Thread.sleep(200); // the eight queue behind the blocked first commit
            assertThat(store.committed).isEmpty();
            store.gate.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (Future<?> f : queued) f.get(5, TimeUnit.SECONDS);

            assertThat(store.committed).hasSize(9);
            assertThat(returnedUncommitted).isEmpty();
            assertThat(store.groups).containsExactly(1, 8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_write_that_fails_fails_alone_and_the_rest_of_its_group_is_stored() throws Exception {
        Store store = new Store();
        store.gate = new CountDownLatch(1);
        GroupCommit<String> commit = store.groupCommit(100);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<?> first = pool.submit(() -> commit.commit("first"));
            assertThat(store.firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<String> names = List.of("w0", "w1", "bad", "w2", "w3");
            List<Future<?>> queued = new ArrayList<>();
            for (String w : names) queued.add(pool.submit(() -> commit.commit(w)));
            Thread.sleep(200);
            store.gate.countDown();
            first.get(5, TimeUnit.SECONDS);

            for (int i = 0; i < names.size(); i++) {
                Future<?> f = queued.get(i);
                if (names.get(i).equals("bad")) {
                    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("refused: bad");
                } else {
                    f.get(5, TimeUnit.SECONDS);
                }
            }
            assertThat(store.committed).containsExactlyInAnyOrder("first", "w0", "w1", "w2", "w3");
            // The group of five failed as a whole (nothing of it stored), then each was written alone.
            assertThat(store.transactions).containsExactly(1, 5, 1, 1, 1, 1, 1);
            assertThat(store.groups).containsExactly(1, 1, 1, 1, 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_failed_group_of_one_is_not_written_a_second_time() {
        Store store = new Store();
        AtomicBoolean retried = new AtomicBoolean();
        GroupCommit<String> commit = new GroupCommit<>(store::write, w -> retried.set(true), w -> 1, 10, store.groups::add);

        assertThatThrownBy(() -> commit.commit("bad")).isInstanceOf(IllegalArgumentException.class);
        assertThat(retried).isFalse();
        assertThat(store.groups).isEmpty();
    }

    @Test
    void a_group_holds_at_most_max_rows_unless_one_write_is_larger() throws Exception {
        Store store = new Store();
        store.gate = new CountDownLatch(1);
        List<List<String>> transactions = new CopyOnWriteArrayList<>();
        Consumer<List<String>> together = ws -> { transactions.add(List.copyOf(ws)); store.write(ws); };
        // A write's size is its length: "xxxx" adds four rows.
        GroupCommit<String> commit = new GroupCommit<>(together, w -> together.accept(List.of(w)), String::length, 5,
                store.groups::add);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            Future<?> first = pool.submit(() -> commit.commit("f"));
            assertThat(store.firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
            List<Future<?>> queued = new ArrayList<>();
            for (String w : List.of("aa", "bbb", "cccccccc", "d")) {
                queued.add(pool.submit(() -> commit.commit(w)));
                Thread.sleep(50); // queued in this order
            }
            store.gate.countDown();
            first.get(5, TimeUnit.SECONDS);
            for (Future<?> f : queued) f.get(5, TimeUnit.SECONDS);

            assertThat(transactions).containsExactly(List.of("f"), List.of("aa", "bbb"), List.of("cccccccc"), List.of("d"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void an_interrupted_writer_still_waits_for_its_outcome_and_keeps_the_interrupt() throws Exception {
        Store store = new Store();
        store.gate = new CountDownLatch(1);
        GroupCommit<String> commit = store.groupCommit(100);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = pool.submit(() -> commit.commit("first"));
            assertThat(store.firstEntered.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            AtomicBoolean interruptKept = new AtomicBoolean();
            AtomicBoolean committedOnReturn = new AtomicBoolean();
            Future<?> second = pool.submit(() -> {
                waiter.set(Thread.currentThread());
                commit.commit("second");
                committedOnReturn.set(store.committed.contains("second"));
                interruptKept.set(Thread.currentThread().isInterrupted());
            });
            Thread.sleep(200);
            waiter.get().interrupt();
            Thread.sleep(100);
            assertThat(second).isNotDone();
            store.gate.countDown();
            first.get(5, TimeUnit.SECONDS);
            second.get(5, TimeUnit.SECONDS);

            assertThat(committedOnReturn).isTrue();
            assertThat(interruptKept).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void many_writers_lose_nothing_and_write_nothing_twice() throws Exception {
        Store store = new Store();
        GroupCommit<String> commit = store.groupCommit(16);
        int threads = 16;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        String w = thread + "-" + i;
                        commit.commit(w);
                        if (!store.committed.contains(w)) throw new AssertionError("returned before commit: " + w);
                    }
                }));
            }
            for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);

            assertThat(store.committed).hasSize(threads * perThread);
            assertThat(store.groups.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
            assertThat(store.groups).allSatisfy(g -> assertThat(g).isBetween(1, 16));
        } finally {
            pool.shutdownNow();
        }
    }
}
