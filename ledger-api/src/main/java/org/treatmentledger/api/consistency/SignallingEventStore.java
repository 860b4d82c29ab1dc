package org.treatmentledger.api.consistency;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventStream;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Axon's embedded event store whose event streams accept an availability callback. A pooled processor whose
 * stream has none polls the store every 500 ms when it is caught up; with one, it is woken as soon as events are
 * committed, by {@link CommitSignals}: at once for commits of this JVM ({@link #afterCommit}, which also has them
 * announced to the other nodes), through PostgreSQL notifications of the other nodes' commits, and by the fallback
 * poll of {@link PostgresCommitListener}.
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

        SignalledStream(TrackingEventStream delegate, CommitSignals signals) {
            this.delegate = delegate;
            this.signals = signals;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            unregister();
            unregister = signals.onEventsCommitted(callback);
            return true;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
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
