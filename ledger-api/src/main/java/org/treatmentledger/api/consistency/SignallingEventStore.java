package org.treatmentledger.api.consistency;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's embedded event store whose event streams accept an availability callback. A pooled processor whose
 * stream has none polls the store every 500 ms when it is caught up; with one, it is woken as soon as events are
 * committed, by {@link CommitSignals}: at once for commits of this JVM ({@link #afterCommit}, which also has them
 * announced to the other nodes), through PostgreSQL notifications of the other nodes' commits, and by the fallback
 * poll of {@link PostgresCommitListener}.
 * <p>
 * A stream that found nothing new stays quiet until the next wake-up: the processor's coordinator asks its stream
 * again and again (before, while and after handing events out), and every question at the head is a fetch of two
 * queries. Without the gate, a single writer's commands reached the read models a few at a time: about five
 * events per read-model transaction, a dozen round trips each (docs/PERFORMANCE.md, W1 at one client). With it
 * the events committed between two paced wake-ups go in one batch; a waiting read still wakes it at once.
 */
public class SignallingEventStore extends EmbeddedEventStore {

    private final CommitSignals signals;

    public SignallingEventStore(Builder builder, CommitSignals signals) {
        super(builder);
        this.signals = signals;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        signals.localEventsCommitted();
    }

    @Override
    public TrackingEventStream openStream(TrackingToken trackingToken) {
        return new SignalledStream(super.openStream(trackingToken), signals);
    }

    private static final class SignalledStream implements TrackingEventStream {

        private final TrackingEventStream delegate;
        private final CommitSignals signals;
        private volatile Runnable unregister;
        /** Wake-ups seen by this stream; the callback counts them before it reschedules the coordinator. */
        private final AtomicLong wakes = new AtomicLong();
        /** The wake-up count when the stream last found nothing new (the coordinator's thread only); -1: never. */
        private long drainedAt = -1;
        /** Only a stream that is woken may wait for a wake-up; one without a callback asks the store every time. */
        private volatile boolean woken;

        SignalledStream(TrackingEventStream delegate, CommitSignals signals) {
            this.delegate = delegate;
            this.signals = signals;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            unregister();
            unregister = signals.onEventsCommitted(() -> {
                wakes.incrementAndGet();
                callback.run();
            });
            woken = true;
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        /**
         * False without asking the store once the stream has found nothing new since the last wake-up; otherwise
         * the store's answer. Counting the wake-ups (instead of a flag) loses none that comes during a fetch.
         */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (!woken) return delegate.hasNextAvailable(timeout, unit);
            long seen = wakes.get();
            if (seen == drainedAt) return false;
            boolean available = delegate.hasNextAvailable(timeout, unit);
            if (!available) drainedAt = seen;
            return available;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            unregister();
            delegate.close();
        }

        private void unregister() {
            Runnable current = unregister;
            unregister = null;
            if (current != null) current.run();
        }
    }
}
