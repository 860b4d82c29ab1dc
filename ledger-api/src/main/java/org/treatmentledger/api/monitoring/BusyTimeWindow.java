package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The processing time of the last {@code window}, for the capacity gauge (busy time over the window: 1.0 is one
 * thread busy all the time). Axon's CapacityMonitor keeps every message's duration in a sorted map for the window,
 * an insertion into a map of some 20,000 entries per command at W1's rate (about 3 % of the command thread's CPU
 * in a profile, docs/PERFORMANCE.md); this one adds to one of ten buckets, so the window slides in tenths: the gauge
 * covers the current tenth and the nine before it, and may read up to a tenth less than a sliding window would.
 */
final class BusyTimeWindow {

    private static final int BUCKETS = 10;

    private final Clock clock;
    private final long windowNanos;
    private final long bucketNanos;
    /** Per bucket, the tick (monotonic time / bucket length) whose time it holds, and that time. */
    private final AtomicLongArray ticks = new AtomicLongArray(BUCKETS);
    private final AtomicLongArray busy = new AtomicLongArray(BUCKETS);

    BusyTimeWindow(Duration window, Clock clock) {
        if (window.isZero() || window.isNegative()) throw new IllegalArgumentException("window must be positive");
        this.clock = clock;
        this.windowNanos = window.toNanos();
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        for (int i = 0; i < BUCKETS; i++) ticks.set(i, Long.MIN_VALUE);
    }

    /** Adds one message's processing time, in nanoseconds. */
    void add(long nanos) {
        long tick = Math.floorDiv(clock.monotonicTime(), bucketNanos);
        int slot = (int) Math.floorMod(tick, (long) BUCKETS);
        long held = ticks.get(slot);
        // An add that stalled for a whole window finds its bucket taken by a later tick: dropped, not let reset it.
        if (held > tick) return;
        // The first to reach a bucket of a new tick empties it; a concurrent add may land just before the reset and
        // be lost, which a gauge tolerates.
        if (held < tick && ticks.compareAndSet(slot, held, tick)) busy.set(slot, 0);
        busy.addAndGet(slot, nanos);
    }

    /** Busy time of the buckets within the window, as a fraction of the window. */
    double capacity() {
        long tick = Math.floorDiv(clock.monotonicTime(), bucketNanos);
        long sum = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long held = ticks.get(i);
            if (held != Long.MIN_VALUE && held > tick - BUCKETS && held <= tick) sum += busy.get(i);
        }
        return sum / (double) windowNanos;
    }
}
