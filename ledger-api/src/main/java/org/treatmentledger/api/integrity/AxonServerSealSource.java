package org.treatmentledger.api.integrity;

import io.axoniq.axonserver.connector.event.AggregateEventStream;
import io.axoniq.axonserver.connector.event.EventChannel;
import io.axoniq.axonserver.connector.event.EventStream;
import io.axoniq.axonserver.grpc.MetaDataValue;
import io.axoniq.axonserver.grpc.event.Event;
import io.axoniq.axonserver.grpc.event.EventWithToken;
import org.axonframework.common.DateTimeUtils;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Axon Server's event stream as the log's input (profile {@code axonserver}), read through the connector's own API:
 * {@link EventChannel#getLastToken()} for the head and {@link EventChannel#openStream(long, int)} from the last
 * sealed token for the events. Axon Server hands out tokens 0, 1, 2, ... in append order without gaps, and the last
 * token it answers is committed, so the head is final at once and no horizon is needed; a token out of turn in the
 * stream is refused (nothing of that round is sealed) rather than sealed around.
 * <p>
 * Each event becomes the stored event a leaf commits to (docs/INTEGRITY.md, "Axon Server"): the aggregate id and
 * sequence number, the payload's type and data bytes as stored, the metadata map in {@link #metadataBytes(Map)}'s
 * encoding, and the epoch-millisecond timestamp written as the JDBC store writes timestamps.
 */
public class AxonServerSealSource implements SealSource {

    private final Supplier<EventChannel> channel;
    private final Duration timeout;

    /** {@code channel} is asked on every read, so a reconnected channel is used once it is back. */
    public AxonServerSealSource(Supplier<EventChannel> channel, Duration timeout) {
        this.channel = channel;
        this.timeout = timeout;
    }

    /** Axon Server's first token is 0; {@code openStream(-1, ...)} starts at it. */
    @Override
    public long start() {
        return -1;
    }

    /** The last committed token ({@code -1} while the store is empty). */
    @Override
    public long horizon() {
        try {
            Long last = channel.get().getLastToken().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return last == null ? -1 : last;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking Axon Server for its last token", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new UnavailableException("Axon Server did not answer its last token", e);
        }
    }

    @Override
    public List<TreeStore.StoredEvent> eventsBetween(long after, long upTo, int limit) {
        long wanted = Math.min(limit, upTo - after);
        if (wanted <= 0) return List.of();
        List<TreeStore.StoredEvent> events = new ArrayList<>((int) wanted);
        EventStream stream;
        try {
            stream = channel.get().openStream(after, (int) Math.min(wanted, 1_000));
        } catch (RuntimeException e) {
            throw new UnavailableException("Axon Server did not open its event stream", e);
        }
        try (stream) {
            long expected = after + 1;
            while (events.size() < wanted) {
                EventWithToken next = stream.nextIfAvailable(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    Throwable error = stream.getError().orElse(null);
                    throw new UnavailableException("Axon Server's event stream " + (error != null ? "failed"
                            : stream.isClosed() ? "closed" : "sent nothing for " + timeout.toMillis() + " ms")
                            + " before token " + expected, error);
                }
                if (next.getToken() != expected) {
                    throw new IllegalStateException("Axon Server's event stream sent token " + next.getToken()
                            + " where " + expected + " was due: nothing of this round is sealed");
                }
                events.add(storedEvent(next.getToken(), next.getEvent()));
                expected++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while reading Axon Server's event stream", e);
        }
        return events;
    }

    @Override
    public boolean inEventTable() {
        return false;
    }

    @Override
    public List<TreeStore.StoredEvent> patientEvents(String patientId) {
        List<TreeStore.StoredEvent> events = new ArrayList<>();
        AggregateEventStream stream;
        try {
            stream = channel.get().openAggregateStream(patientId);
        } catch (RuntimeException e) {
            throw new UnavailableException("Axon Server did not open the patient's event stream", e);
        }
        try {
            while (stream.hasNext()) events.add(storedEvent(-1, stream.next()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.cancel();
            throw new UnavailableException("interrupted while reading a patient's events from Axon Server", e);
        } catch (RuntimeException e) {
            stream.cancel();
            throw new UnavailableException("reading a patient's events from Axon Server failed", e);
        }
        return events;
    }

    @Override
    public Optional<Long> lastSequenceNumber(String patientId) {
        try {
            Long last = channel.get().findHighestSequence(patientId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return last == null || last < 0 ? Optional.empty() : Optional.of(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking Axon Server for a patient's last event", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new UnavailableException("Axon Server did not answer a patient's last sequence number", e);
        }
    }

    /**
     * One event as a leaf commits to it. An event without an aggregate (none of the ledger's) is taken as Axon's JDBC
     * store takes it: its message identifier as the aggregate id, sequence number 0.
     */
    static TreeStore.StoredEvent storedEvent(long token, Event event) {
        boolean domain = !event.getAggregateIdentifier().isEmpty();
        return new TreeStore.StoredEvent(token,
                domain ? event.getAggregateIdentifier() : event.getMessageIdentifier(),
                domain ? event.getAggregateSequenceNumber() : 0,
                event.getPayload().getType(),
                event.getPayload().getData().toByteArray(),
                metadataBytes(event.getMetaDataMap()),
                recordedAt(event.getTimestamp()));
    }

    /**
     * The recorded time of an Axon Server event: its epoch-millisecond timestamp as ISO-8601 UTC with exactly three
     * fraction digits (e.g. {@code 2026-03-02T09:30:00.123Z}), which is how Axon's JDBC store writes the timestamp
     * column ({@link DateTimeUtils#formatInstant}); one millisecond value has one text, so a changed timestamp is a
     * changed leaf.
     */
    static String recordedAt(long epochMillis) {
        return DateTimeUtils.formatInstant(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * The metadata bytes of an Axon Server event: the protobuf wire encoding of the {@code Event} message's
     * {@code meta_data} field (number 7) with its entries in ascending order of their keys' UTF-8 bytes (unsigned).
     * Each entry is the tag byte {@code 0x3A}, the entry's length as a varint, then the map entry message: {@code 0x0A},
     * the key's UTF-8 length as a varint and the key, {@code 0x12}, the value's length as a varint and the
     * {@code MetaDataValue} message as protobuf writes it (the one set field of its {@code oneof}). An empty map is
     * zero bytes. A protobuf map has no order of its own (Axon Server keeps what the client sent), so the order is
     * fixed here: the same map always gives the same bytes, and any changed key or value gives other bytes.
     */
    static byte[] metadataBytes(Map<String, MetaDataValue> metadata) {
        byte[][] keys = metadata.keySet().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        Arrays.sort(keys, Arrays::compareUnsigned);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] key : keys) {
            byte[] value = metadata.get(new String(key, StandardCharsets.UTF_8)).toByteArray();
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            entry.write(0x0A);
            varint(entry, key.length);
            entry.writeBytes(key);
            entry.write(0x12);
            varint(entry, value.length);
            entry.writeBytes(value);
            out.write(0x3A);
            varint(out, entry.size());
            out.writeBytes(entry.toByteArray());
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
