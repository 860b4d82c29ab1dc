package org.treatmentledger.projections.rebuild;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The bulk rebuild's worker threads (copy ranges and patient ranges at the same time), for one run. */
final class RebuildWorkers implements AutoCloseable {

    private final ExecutorService pool;

    RebuildWorkers(int threads) {
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ledger-bulk-rebuild-worker");
            t.setDaemon(true);
            return t;
        });
    }

    Future<Long> submit(Callable<Long> part) {
        return pool.submit(part);
    }

    /** A part's result; its failure as the caller's (a RuntimeException as it was thrown). */
    static long await(Future<Long> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bulk rebuild interrupted", e);
        }
    }

    /** Stops whatever still runs (after a failure: the other parts). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
