package org.treatmentledger.api.axon;

import org.axonframework.common.AxonThreadFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler of a pooled processor's coordinator (Axon's default: one thread), with every delay shortened to
 * at most {@code maxDelay}. After an error (the database unreachable) Axon's coordinator waits twice as long before
 * each retry, up to 60 s, and has no setting for that bound: after an outage of 30 s the read models stayed behind
 * for up to another 30 s. The coordinator's ordinary delays are at most the token claim interval.
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
