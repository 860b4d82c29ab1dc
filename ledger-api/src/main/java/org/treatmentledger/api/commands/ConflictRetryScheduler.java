package org.treatmentledger.api.commands;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.AbstractRetryScheduler;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.modelling.command.ConcurrencyException;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's retry scheduler for the command gateway, retrying only a command that lost a concurrent write to the same
 * patient (another node, or another request on this node, appended the same sequence number first). Such a command
 * recorded nothing; re-sent, it loads the aggregate afresh (the caching repository evicts the patient when the unit
 * of work rolls back), so the rules run against the state that won. The same command message is re-sent, so its
 * entry ids never change. Every other failure (a refusal, a database outage) is non-transient: answered at once.
 */
public final class ConflictRetryScheduler extends AbstractRetryScheduler {

    private final AtomicLong retries = new AtomicLong();
    private final ScheduledExecutorService executor;

    private ConflictRetryScheduler(Builder builder, ScheduledExecutorService executor) {
        super(builder);
        this.executor = executor;
    }

    /** Retries run on a small pool of their own; {@code maxRetries} re-sends after the first attempt. */
    static ConflictRetryScheduler create(int maxRetries) {
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, new AxonThreadFactory("CommandRetry"));
        return new ConflictRetryScheduler(new Builder().retryExecutor(executor).maxRetryCount(maxRetries), executor);
    }

    /** Retries already scheduled still run (the executor's default), so no caller waits for nothing. */
    void shutdown() {
        executor.shutdown();
    }

    /**
     * Non-transient unless the failure is a conflict. Axon's base class tests a predicate against the failure and
     * each of its causes, so no predicate can express this: a conflict's cause (the store's duplicate-key error)
     * would read as non-transient.
     */
    @Override
    protected boolean isExplicitlyNonTransient(Throwable failure) {
        return !(failure instanceof ConcurrencyException);
    }

    @Override
    protected long computeRetryInterval(CommandMessage commandMessage, RuntimeException lastFailure,
                                        List<Class<? extends Throwable>[]> failures) {
        // Random and growing, so two nodes that collided do not collide again in lock-step.
        return ThreadLocalRandom.current().nextLong(5, 25) * failures.size();
    }

    @Override
    protected boolean scheduleRetry(Runnable commandDispatch, long interval) {
        boolean scheduled = super.scheduleRetry(commandDispatch, interval);
        if (scheduled) retries.incrementAndGet();
        return scheduled;
    }

    /** Commands re-sent after losing a concurrent write since start (for tests and diagnostics). */
    public long retries() {
        return retries.get();
    }

    static final class Builder extends AbstractRetryScheduler.Builder<Builder> {
    }
}
