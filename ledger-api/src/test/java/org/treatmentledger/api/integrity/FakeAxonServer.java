package org.treatmentledger.api.integrity;

import com.google.protobuf.ByteString;
import io.axoniq.axonserver.connector.event.AggregateEventStream;
import io.axoniq.axonserver.connector.event.EventChannel;
import io.axoniq.axonserver.connector.event.EventStream;
import io.axoniq.axonserver.grpc.MetaDataValue;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventWithToken;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An Axon Server event store in memory behind the connector's own interfaces ({@link EventChannel},
 * {@link EventStream}, {@link AggregateEventStream}), holding real protobuf {@link Event}s: token i is the i-th event
 * appended, as Axon Server numbers them. Only what the ledger's source calls is answered; anything else fails the
 * test loudly. Faults can be switched on: a stream that fails after n events, or one that skips a token.
 */
final class FakeAxonServer {

    private final List<Event> events = new ArrayList<>();
    /** The {@code token} argument of every {@code openStream} call, in order. */
    final List<Long> streamsOpenedAfter = new ArrayList<>();
    /** When set, an opened stream fails (closes with an error) after delivering this many events. */
    volatile Integer failAfter;
    /** When set, a stream delivers the event after this token in its place (a gap that must not be sealed around). */
    volatile Long skipToken;

    synchronized long append(Event event) {
        events.add(event);
        return events.size() - 1;
    }

    /** Replaces the stored event at {@code token}: a change made inside Axon Server's files. */
    synchronized void replace(long token, Event event) {
        events.set((int) token, event);
    }

    synchronized Event event(long token) {
        return events.get((int) token);
    }

    synchronized int size() {
        return events.size();
    }

    static Event event(String patient, long sequence, String type, String json, long timestamp, String recordedBy) {
        return Event.newBuilder()
                .setMessageIdentifier(patient + "/" + sequence)
                .setAggregateIdentifier(patient)
                .setAggregateSequenceNumber(sequence)
                .setAggregateType("Patient")
                .setTimestamp(timestamp)
                .setPayload(SerializedObject.newBuilder().setType(type)
                        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)))
                .putMetaData("recordedBy", MetaDataValue.newBuilder().setTextValue(recordedBy).build())
                .putMetaData("traceId", MetaDataValue.newBuilder().setTextValue("trace-" + sequence).build())
                .build();
    }

    EventChannel channel() {
        return (EventChannel) Proxy.newProxyInstance(EventChannel.class.getClassLoader(), new Class<?>[]{EventChannel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getLastToken" -> CompletableFuture.completedFuture((long) size() - 1);
                    case "openStream" -> {
                        synchronized (this) {
                            streamsOpenedAfter.add((Long) args[0]);
                        }
                        yield new Stream((Long) args[0]);
                    }
                    case "openAggregateStream" -> aggregate((String) args[0]);
                    case "findHighestSequence" -> CompletableFuture.completedFuture(highestSequence((String) args[0]));
                    case "toString" -> "FakeAxonServer";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("the fake does not answer " + method.getName());
                });
    }

    private synchronized Long highestSequence(String patient) {
        Long highest = null;
        for (Event e : events) if (e.getAggregateIdentifier().equals(patient)) highest = e.getAggregateSequenceNumber();
        return highest;
    }

    private AggregateEventStream aggregate(String patient) {
        List<Event> own;
        synchronized (this) {
            own = events.stream().filter(e -> e.getAggregateIdentifier().equals(patient)).toList();
        }
        Iterator<Event> it = own.iterator();
        return new AggregateEventStream() {
            @Override
            public Event next() {
                return it.next();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public void cancel() {
            }
        };
    }

    /** A live stream from after {@code token}: events appear as they are appended, as Axon Server's do. */
    private final class Stream implements EventStream {
        private long next;
        private int delivered;
        private boolean closed;
        private Throwable error;

        Stream(long after) {
            this.next = after + 1;
        }

        @Override
        public synchronized EventWithToken nextIfAvailable() {
            if (closed) return null;
            Integer fail = failAfter;
            if (fail != null && delivered == fail) {
                error = new IllegalStateException("stream broken by the test");
                closed = true;
                return null;
            }
            Long skip = skipToken;
            if (skip != null && next == skip) next++;
            if (next >= size()) return null;
            delivered++;
            long token = next++;
            return EventWithToken.newBuilder().setToken(token).setEvent(event(token)).build();
        }

        @Override
        public EventWithToken nextIfAvailable(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                EventWithToken e = nextIfAvailable();
                if (e != null || isClosed() || System.nanoTime() > deadline) return e;
                Thread.sleep(5);
            }
        }

        @Override
        public EventWithToken next() throws InterruptedException {
            return nextIfAvailable(1, TimeUnit.DAYS);
        }

        @Override
        public EventWithToken peek() {
            throw new UnsupportedOperationException("peek");
        }

        @Override
        public void onAvailable(Runnable callback) {
            throw new UnsupportedOperationException("onAvailable");
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        @Override
        public synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized Optional<Throwable> getError() {
            return Optional.ofNullable(error);
        }

        @Override
        public void excludePayloadType(String type, String revision) {
            throw new UnsupportedOperationException("excludePayloadType");
        }
    }
}
