package org.treatmentledger.api.integrity;

import io.axoniq.axonserver.grpc.MetaDataValue;
import io.axoniq.axonserver.grpc.SerializedObject;
import io.axoniq.axonserver.grpc.event.Event;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Axon Server source against the connector's interfaces, with real protobuf events in a fake store
 * ({@link FakeAxonServer}; no Axon Server runs here): the stream is read from the right token, in token order, at
 * most a batch at a time, and each event becomes the bytes docs/INTEGRITY.md ("Axon Server") defines.
 */
class AxonServerSealSourceTest {

    private static final String TYPE = "org.treatmentledger.core.api.InjectionRecorded";
    /** 2026-03-02T09:30:00.123Z */
    private static final long T = 1_772_443_800_123L;

    private static MetaDataValue text(String value) {
        return MetaDataValue.newBuilder().setTextValue(value).build();
    }

    private static MetaDataValue number(long value) {
        return MetaDataValue.newBuilder().setNumberValue(value).build();
    }

    @Test
    void metadataBytesAreTheEventsMetadataFieldInKeyOrderByteForByte() throws Exception {
        Map<String, MetaDataValue> map = new LinkedHashMap<>();
        map.put("recordedBy", text("injector"));
        map.put("n", number(5));
        byte[] bytes = AxonServerSealSource.metadataBytes(map);
        // Computed by hand from the protobuf wire format (docs/INTEGRITY.md): "n" (number 5, sint64 zigzag 10) first.
        assertThat(HexFormat.of().formatHex(bytes))
                .isEqualTo("3a070a016e1202100a3a180a0a7265636f726465644279120a0a08696e6a6563746f72");
        // They are field 7 of an Axon Server Event exactly: protobuf itself reads the same map back from them.
        assertThat(Event.parseFrom(bytes).getMetaDataMap()).isEqualTo(map);
        assertThat(AxonServerSealSource.metadataBytes(Map.of())).isEmpty();
    }

    @Test
    void metadataBytesDoNotDependOnTheOrderTheEntriesArrivedIn() {
        Map<String, MetaDataValue> one = new LinkedHashMap<>();
        Map<String, MetaDataValue> other = new LinkedHashMap<>();
        String[] keys = {"recordedBy", "traceId", "correlationId", "é-accent", "Z", "a", "\uD83D\uDE00", "\uFFFD"};
        for (String k : keys) one.put(k, text(k + "-value"));
        for (int i = keys.length - 1; i >= 0; i--) other.put(keys[i], text(keys[i] + "-value"));
        byte[] a = AxonServerSealSource.metadataBytes(one);
        assertThat(AxonServerSealSource.metadataBytes(other)).isEqualTo(a);
        // And as an event arriving from the wire, in yet another order.
        Event fromWire = Event.newBuilder().putAllMetaData(other).build();
        assertThat(AxonServerSealSource.metadataBytes(fromWire.getMetaDataMap())).isEqualTo(a);
        // Keys ordered by their UTF-8 bytes: U+FFFD (EF BF BD) before U+1F600 (F0 ...), unlike String.compareTo.
        String hex = HexFormat.of().formatHex(a);
        assertThat(hex.indexOf("efbfbd")).isLessThan(hex.indexOf("f09f9880"));

        // A value of another kind, a changed value or key: other bytes.
        Map<String, MetaDataValue> changed = new LinkedHashMap<>(one);
        changed.put("a", number(5));
        assertThat(AxonServerSealSource.metadataBytes(changed)).isNotEqualTo(a);
        Map<String, MetaDataValue> textFive = Map.of("n", text("5"));
        assertThat(AxonServerSealSource.metadataBytes(textFive)).isNotEqualTo(AxonServerSealSource.metadataBytes(Map.of("n", number(5))));
    }

    @Test
    void anEventBecomesTheStoredEventItsLeafCommitsTo() {
        Event event = FakeAxonServer.event("6f1c2a7e-3b4d-4e8f-9a01-23456789abcd", 2, TYPE, "{\"units\":20}", T, "injector");
        TreeStore.StoredEvent stored = AxonServerSealSource.storedEvent(41, event);
        assertThat(stored.globalIndex()).isEqualTo(41);
        assertThat(stored.patientId()).isEqualTo("6f1c2a7e-3b4d-4e8f-9a01-23456789abcd");
        assertThat(stored.sequenceNumber()).isEqualTo(2);
        assertThat(stored.type()).isEqualTo(TYPE);
        assertThat(new String(stored.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"units\":20}");
        assertThat(stored.metadataBytes()).isEqualTo(AxonServerSealSource.metadataBytes(event.getMetaDataMap()));
        // The JDBC store's text of the same instant: three fraction digits, always.
        assertThat(stored.timestamp()).isEqualTo("2026-03-02T09:30:00.123Z");
        assertThat(AxonServerSealSource.recordedAt(T - 123)).isEqualTo("2026-03-02T09:30:00.000Z");

        // An event without an aggregate is taken as Axon's JDBC store takes one: its message id, sequence 0.
        Event loose = Event.newBuilder().setMessageIdentifier("m-1").setTimestamp(T)
                .setPayload(SerializedObject.newBuilder().setType("x")).build();
        TreeStore.StoredEvent looseStored = AxonServerSealSource.storedEvent(0, loose);
        assertThat(looseStored.patientId()).isEqualTo("m-1");
        assertThat(looseStored.sequenceNumber()).isZero();
    }

    @Test
    void readsTheStreamAfterTheGivenTokenInOrderAtMostABatch() {
        FakeAxonServer server = new FakeAxonServer();
        for (int i = 0; i < 10; i++) server.append(FakeAxonServer.event("p-" + (i % 3), i / 3, TYPE, "{\"i\":" + i + "}", T + i, "u"));
        AxonServerSealSource source = new AxonServerSealSource(server::channel, Duration.ofMillis(300));

        assertThat(source.start()).isEqualTo(-1);
        assertThat(source.horizon()).isEqualTo(9);
        List<TreeStore.StoredEvent> first = source.eventsBetween(-1, 9, 4);
        assertThat(first).extracting(TreeStore.StoredEvent::globalIndex).containsExactly(0L, 1L, 2L, 3L);
        List<TreeStore.StoredEvent> next = source.eventsBetween(3, 9, 4);
        assertThat(next).extracting(TreeStore.StoredEvent::globalIndex).containsExactly(4L, 5L, 6L, 7L);
        // Up to the horizon only, even when more is asked for.
        assertThat(source.eventsBetween(7, 8, 100)).extracting(TreeStore.StoredEvent::globalIndex).containsExactly(8L);
        assertThat(source.eventsBetween(9, 9, 100)).isEmpty();
        // The connector's openStream takes the last token consumed (-1 for none) and sends the ones after it.
        assertThat(server.streamsOpenedAfter).containsExactly(-1L, 3L, 7L);
    }

    @Test
    void aSkippedTokenOrABrokenStreamIsRefusedNotSealedAround() {
        FakeAxonServer server = new FakeAxonServer();
        for (int i = 0; i < 5; i++) server.append(FakeAxonServer.event("p", i, TYPE, "{}", T + i, "u"));
        AxonServerSealSource source = new AxonServerSealSource(server::channel, Duration.ofMillis(200));

        server.skipToken = 2L;
        assertThatThrownBy(() -> source.eventsBetween(-1, 4, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("token 3 where 2 was due");
        server.skipToken = null;
        server.failAfter = 1;
        assertThatThrownBy(() -> source.eventsBetween(-1, 4, 10)).isInstanceOf(SealSource.UnavailableException.class)
                .hasMessageContaining("failed before token 1");
        server.failAfter = null;
        // The head said 4, but the stream stops at 2 (a store answering less than it claimed): no short batch.
        assertThatThrownBy(() -> source.eventsBetween(-1, 6, 10)).isInstanceOf(SealSource.UnavailableException.class)
                .hasMessageContaining("before token 5");
    }

    @Test
    void aPatientsEventsAndLastSequenceNumber() {
        FakeAxonServer server = new FakeAxonServer();
        for (int i = 0; i < 6; i++) server.append(FakeAxonServer.event("p-" + (i % 2), i / 2, TYPE, "{}", T + i, "u"));
        AxonServerSealSource source = new AxonServerSealSource(server::channel, Duration.ofMillis(200));
        assertThat(source.patientEvents("p-1")).extracting(TreeStore.StoredEvent::sequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(source.lastSequenceNumber("p-1")).contains(2L);
        assertThat(source.lastSequenceNumber("nobody")).isEmpty();
    }
}
