package org.treatmentledger.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Closed-loop load: N clients, each sending its next request as soon as the previous one answered. Requests
 * that complete during the warm-up are not counted; throughput and latencies come from the requests that
 * complete inside the measurement window. Any failure stops the run: a benchmark must not count errors.
 */
public final class ClosedLoop {

    /** One client's work; {@code step} performs one or more timed requests through the recorder. */
    @FunctionalInterface
    public interface Client {
        void step(Recorder recorder) throws Exception;
    }

    /** Times requests of one client. */
    public static final class Recorder {
        private final long warmEnd;
        private final long measureEnd;
        private long[] latencies = new long[1024];
        private int size;

        Recorder(long warmEnd, long measureEnd) {
            this.warmEnd = warmEnd;
            this.measureEnd = measureEnd;
        }

        /** Records a request that started at {@code startNanos} (System.nanoTime) and completed now. */
        public void completed(long startNanos) {
            long end = System.nanoTime();
            if (end >= warmEnd && end <= measureEnd) {
                if (size == latencies.length) latencies = Arrays.copyOf(latencies, size * 2);
                latencies[size++] = end - startNanos;
            }
        }

        boolean running() { return System.nanoTime() < measureEnd; }
    }

    /** Requests completed in the window, the window's length and every one of their latencies. */
    public record Result(int clients, long requests, double seconds, long[] latencyNanos) {
        public double perSecond() { return requests / seconds; }
    }

    private ClosedLoop() { }

    public static Result run(int clients, Duration warmUp, Duration measure, IntFunction<Client> clientFactory)
            throws InterruptedException {
        List<Client> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) workers.add(clientFactory.apply(i));
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Recorder[] recorders = new Recorder[clients];
        Thread[] threads = new Thread[clients];
        long[] window = new long[2];
        for (int i = 0; i < clients; i++) {
            int n = i;
            threads[i] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    Recorder recorder = new Recorder(window[0], window[1]);
                    recorders[n] = recorder;
                    while (recorder.running() && failure.get() == null) workers.get(n).step(recorder);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "bench-client-" + i);
            threads[i].start();
        }
        ready.await();
        long start = System.nanoTime();
        window[0] = start + warmUp.toNanos();
        window[1] = window[0] + measure.toNanos();
        go.countDown(); // publishes window[] to the clients (happens-before through the latch)
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new IllegalStateException("a client failed: " + failure.get(), failure.get());
        int total = 0;
        for (Recorder r : recorders) total += r.size;
        long[] all = new long[total];
        int at = 0;
        for (Recorder r : recorders) {
            System.arraycopy(r.latencies, 0, all, at, r.size);
            at += r.size;
        }
        return new Result(clients, total, measure.toNanos() / 1e9, all);
    }
}
