package org.treatmentledger.api.readmodels;

import org.axonframework.common.AxonThreadFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of a pooled processor's coordinator (Axon's default: one thread), with every delay shortened to
 * at most {@code maxDelay}. After an error (the database unreachable) Axon's coordinator waits twice as long before
 * each retry, up to 60 s, and has no setting for that bound: after a 27 s outage the read models resumed only
 * 14.7 s after the database was back (DatabaseOutageTest). Its ordinary delays are at most the token claim
 * interval, so with the default 2 s a node without segments looks for unclaimed ones every 2 s instead of 5 s.
 */
final class CoordinatorScheduler extends ScheduledThreadPoolExecutor {

    private final long maxDelayNanos;

    CoordinatorScheduler(String processorName, Duration maxDelay) {
        super(1, new AxonThreadFactory("Coordinator[" + processorName + "]"));
        this.maxDelayNanos = maxDelay.toNanos();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return super.schedule(command, Math.min(unit.toNanos(delay), maxDelayNanos), TimeUnit.NANOSECONDS);
    }
}
