package org.treatmentledger.api.eventstore;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** A write (or command) on a thread of its own, for the group-commit tests; its outcome is null when it succeeded. */
final class Attempt {

    final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Attempt(Runnable task, String name) {
        thread = new Thread(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
    }

    static Attempt start(Runnable task) {
        return start(task, "attempt");
    }

    static Attempt start(Runnable task, String name) {
        Attempt a = new Attempt(task, name);
        a.thread.start();
        return a;
    }

    /** Waits until this attempt is parked in GroupCommit.commit: queued behind the group being committed. */
    Attempt parked() {
        awaitTrue(() -> thread.getState() == Thread.State.WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(GroupCommit.class.getName()) && f.getMethodName().equals("commit")));
        return this;
    }

    /** Waits for the attempt to end (at most 20 s) and answers what it threw, or null. */
    Throwable outcome() {
        try {
            thread.join(Duration.ofSeconds(20).toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (thread.isAlive()) throw new AssertionError(thread.getName() + " still running");
        return failure.get();
    }

    static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached in 10 s");
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
