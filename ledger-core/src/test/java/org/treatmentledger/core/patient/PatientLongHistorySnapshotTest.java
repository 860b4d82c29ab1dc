package org.treatmentledger.core.patient;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.AxonAssertionError;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.ResultValidator;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorDetails;
import org.treatmentledger.core.api.DescribeEntry;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.PhotoCheckpointDetails;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.RecordPhotoCheckpoint;
import org.treatmentledger.core.api.ReportCycleFactor;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.ResolveSideEffect;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.SnapshotSerializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Consumer;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A long history of both kinds of id (UUIDs and free text), with voids and amendments, restores from its snapshot
 * (core.snapshot) to an aggregate that decides every probe command exactly like the aggregate sourced from all
 * its events, whether the snapshot is Smile (the JDBC store) or JSON (Axon Server).
 */
class PatientLongHistorySnapshotTest extends PatientTestSupport {

    private static String uuid(int n) { return new UUID(0x9E3779B97F4A7C15L * (n + 1), n).toString(); }

    /** Mostly canonical UUIDs; every 7th id is free text, every 11th an uppercase UUID (not canonical: listed apart). */
    private static String entryId(int i) {
        if (i % 7 == 3) return "entry-" + i;
        if (i % 11 == 5) return uuid(i).toUpperCase();
        return uuid(i);
    }

    private static String sideEffectId(int i) { return i % 4 == 0 ? "side-" + i : uuid(100_000 + i); }

    private static Instant hour(int i) { return REGISTERED.plus(Duration.ofHours(i + 1L)); }

    private final List<String> photos = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();
    private final List<String> resolutions = new ArrayList<>();
    private final List<String> resolvedSideEffects = new ArrayList<>();

    private List<Object> history() {
        List<Object> commands = new ArrayList<>();
        commands.add(register());
        Deque<String> open = new ArrayDeque<>();
        for (int i = 0; i < 300; i++) {
            String id = entryId(i);
            int kind = i % 10;
            if (kind <= 3) {
                commands.add(new RecordPhotoCheckpoint(PATIENT, id, new PhotoCheckpointDetails(hour(i), CheckpointKind.OTHER,
                        List.of(new PhotoImage("front", "ab" + i, "s3://photos/" + i)))));
                photos.add(id);
            } else if (kind <= 5) {
                commands.add(new ReportCycleFactor(PATIENT, id, new CycleFactorDetails(hour(i), CycleFactor.STRESS, "n" + i)));
            } else if (kind == 6 || kind == 8 || open.isEmpty()) {
                open.addLast(sideEffectId(i));
                commands.add(new ReportSideEffect(PATIENT, id, sideEffectId(i), new SideEffectDetails(hour(i),
                        SideEffectType.BRUISING, Severity.MILD, i % 3 == 0 ? Zone.CHEEKS : Zone.FOREHEAD, null, "n" + i)));
                reports.add(id);
            } else {
                String sideEffect = open.removeFirst();
                commands.add(new ResolveSideEffect(PATIENT, id, sideEffect, new SideEffectResolutionDetails(hour(i), "ok")));
                resolutions.add(id);
                resolvedSideEffects.add(sideEffect);
            }
        }
        commands.add(injection(uuid(500), "2025-03-01"));
        commands.add(laser(uuid(501), "2025-06-01", LaserDeviceClass.BROADBAND_LIGHT, Zone.NECK));
        // An open bruise on the cheeks, and corrections of entries that the snapshot will hold packed.
        commands.add(sideEffect(uuid(502), uuid(503), "2025-07-01", SideEffectType.BRUISING, Zone.CHEEKS));
        commands.add(new VoidEntry(PATIENT, uuid(504), photos.get(0), "wrong patient"));
        commands.add(new VoidEntry(PATIENT, uuid(505), reports.get(0), "not a side effect"));
        commands.add(new VoidEntry(PATIENT, uuid(506), resolutions.get(2), "not resolved yet"));
        commands.add(new AmendEntry(PATIENT, uuid(507), reports.get(3), "onset", new SideEffectDetails(hour(0),
                SideEffectType.SWELLING, Severity.MODERATE, Zone.FOREHEAD, null, null), null));
        commands.add(new AmendEntry(PATIENT, uuid(508), resolutions.get(4), "time", new SideEffectResolutionDetails(hour(290), "later"), null));
        commands.add(new VoidEntry(PATIENT, "void-free-text", photos.get(5), "duplicate photo"));
        return commands;
    }

    private List<Object> probes() {
        return List.of(
                photo(photos.get(1)),                              // a packed id again
                photo(entryId(5)),                                 // an uppercase UUID (listed apart) again
                photo(entryId(5).toLowerCase()),                   // not the same id: accepted
                photo(photos.get(0)),                              // a voided packed id is still used
                photo(uuid(900)),                                  // new
                new VoidEntry(PATIENT, uuid(901), photos.get(2), "wrong"),
                new VoidEntry(PATIENT, uuid(901), photos.get(0), "again"),
                new VoidEntry(PATIENT, uuid(901), Patient.registrationEntryId(PATIENT), "no"),
                new VoidEntry(PATIENT, uuid(901), uuid(12345), "unknown"),
                new VoidEntry(PATIENT, uuid(901), reports.get(5), "wrong"),
                new AmendEntry(PATIENT, uuid(902), reports.get(6), "zone", new SideEffectDetails(hour(70),
                        SideEffectType.BRUISING, Severity.MILD, Zone.NECK, photos.get(3), null), null),
                new AmendEntry(PATIENT, uuid(902), resolutions.get(7), "time", new SideEffectResolutionDetails(hour(295), null), null),
                new AmendEntry(PATIENT, uuid(902), resolutions.get(7), "before onset", new SideEffectResolutionDetails(hour(0), null), null),
                new AmendEntry(PATIENT, uuid(902), photos.get(4), "type", new CycleFactorDetails(hour(3), CycleFactor.OTHER, null), null),
                new ResolveSideEffect(PATIENT, uuid(903), resolvedSideEffects.get(9), new SideEffectResolutionDetails(hour(299), null)),
                new ResolveSideEffect(PATIENT, uuid(903), resolvedSideEffects.get(2), new SideEffectResolutionDetails(hour(299), null)),
                new ResolveSideEffect(PATIENT, uuid(903), uuid(503), new SideEffectResolutionDetails(at("2025-07-03"), null)),
                sideEffect(uuid(904), sideEffectId(6), "2026-01-01", SideEffectType.BRUISING, Zone.NECK),   // reported, voided
                sideEffect(uuid(904), sideEffectId(8), "2026-01-01", SideEffectType.BRUISING, Zone.NECK),   // in the timeline
                sideEffect(uuid(904), sideEffectId(16), "2026-01-01", SideEffectType.BRUISING, Zone.NECK),  // free text id
                sideEffect(uuid(904), uuid(905), "2026-01-01", SideEffectType.BRUISING, Zone.NECK),
                new ReportSideEffect(PATIENT, uuid(904), uuid(905), new SideEffectDetails(at("2026-01-01"),
                        SideEffectType.HEADACHE, Severity.MILD, null, uuid(12345), null)),
                laser(uuid(906), "2025-07-02", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS),
                laser(uuid(906), "2025-01-08", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS),
                laser(uuid(906), "2026-02-01", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS),
                injection(uuid(907), "2025-03-20"),
                new DescribeEntry(PATIENT, resolutions.get(1)),
                new DescribeEntry(PATIENT, entryId(3)),
                new DescribeEntry(PATIENT, uuid(12345)));
    }

    private static RecordPhotoCheckpoint photo(String id) {
        return new RecordPhotoCheckpoint(PATIENT, id, new PhotoCheckpointDetails(at("2026-06-01"), CheckpointKind.OTHER,
                List.of(new PhotoImage("front", "cd", "s3://photos/probe"))));
    }

    @Test
    void snapshot_of_a_long_history_decides_exactly_like_the_event_sourced_aggregate() throws Exception {
        List<Object> history = history();
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(history).when(new DescribeEntry(PATIENT, photos.get(1)))
                .expectSuccessfulHandlerExecution().expectState(captured::set);
        Patient original = captured.get();

        JacksonSerializer serializer = SnapshotSerializer.json();
        SerializedObject<byte[]> snapshot = serializer.serialize(original, byte[].class);
        assertThat(snapshot.getType().getRevision()).isEqualTo("6");
        JsonNode json = LedgerJson.objectMapper().readTree(snapshot.getData());
        // Every entry id is stored once, side effect reports and resolutions included: packed (UUIDs) or as a row.
        int sideEffectEntries = (int) original.entries().entrySet().stream().filter(e -> !e.getValue().voided()
                && e.getValue().sideEffectId() != null).count();
        int packed = json.get("packedKinds").binaryValue().length;
        int listedApart = json.get("entries").size();
        assertThat(packed).isGreaterThan(100);
        assertThat(listedApart).isGreaterThan(20);
        assertThat(packed + listedApart).isEqualTo(original.entries().size());
        assertThat(json.get("packedSideEffectIds").binaryValue().length / 16).isGreaterThan(40);
        assertThat(sideEffectEntries).isGreaterThan(100);

        restoresAndDecidesAlike(serializer, snapshot, original, history);
    }

    @Test
    void binary_snapshot_restores_and_decides_like_the_json_one_and_json_snapshots_stay_readable() throws Exception {
        List<Object> history = history();
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(history).when(new DescribeEntry(PATIENT, photos.get(1))).expectState(captured::set);
        Patient original = captured.get();
        SnapshotSerializer serializer = new SnapshotSerializer();

        SerializedObject<byte[]> binary = serializer.serialize(original, byte[].class);
        SerializedObject<byte[]> json = SnapshotSerializer.json().serialize(original, byte[].class);
        assertThat(new String(binary.getData(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo(":)\n");
        assertThat(binary.getType()).isEqualTo(json.getType());
        // Smile leaves out JSON's quotes and repeated punctuation: smaller than the JSON form.
        assertThat(binary.getData().length).isLessThan(json.getData().length);
        restoresAndDecidesAlike(serializer, binary, original, history);

        // A JSON snapshot (older ones, or Axon Server's) is read by the same serializer.
        Patient fromJson = serializer.deserialize(json);
        assertThat(fromJson.entries()).isEqualTo(original.entries());
        assertThat(fromJson.timeline().sideEffectList()).isEqualTo(original.timeline().sideEffectList());
        assertThat(serializer.serialize(fromJson, byte[].class).getData()).isEqualTo(binary.getData());

        // A damaged binary snapshot is refused (Axon then sources the patient from its events), not misread.
        com.fasterxml.jackson.databind.ObjectMapper smile = LedgerJson.smileMapper();
        com.fasterxml.jackson.databind.node.ObjectNode damaged = (com.fasterxml.jackson.databind.node.ObjectNode) smile.readTree(binary.getData());
        ((com.fasterxml.jackson.databind.node.ArrayNode) damaged.get("entries").get(0)).set(1, "NO_SUCH_TYPE");
        assertThatThrownBy(() -> serializer.deserialize(doctored(binary, smile.writeValueAsBytes(damaged))))
                .hasStackTraceContaining("NO_SUCH_TYPE");
        // Damaged raw bytes are refused like damaged base64.
        com.fasterxml.jackson.databind.node.ObjectNode swapped = (com.fasterxml.jackson.databind.node.ObjectNode) smile.readTree(binary.getData());
        byte[] bytes = swapped.get("packedIds").binaryValue();
        swapFirstTwoIds(bytes);
        swapped.put("packedIds", bytes);
        assertThatThrownBy(() -> serializer.deserialize(doctored(binary, smile.writeValueAsBytes(swapped))))
                .hasStackTraceContaining("packed ids out of order");
    }

    /** Restored from {@code snapshot}, the aggregate equals {@code original} and decides every probe like the events do. */
    private void restoresAndDecidesAlike(Serializer serializer, SerializedObject<byte[]> snapshot,
                                         Patient original, List<Object> history) {
        Patient restored = serializer.deserialize(snapshot);
        assertThat(restored.entries()).isEqualTo(original.entries());
        assertThat(restored.timeline()).isEqualTo(original.timeline());
        assertThat(restored.timeline().sideEffectList()).isEqualTo(original.timeline().sideEffectList());
        assertThat(restored.voidedSideEffectReports()).isEqualTo(original.voidedSideEffectReports()).hasSize(1);
        // Written again, the restored aggregate gives the same bytes (sorted, nothing lost or reordered).
        assertThat(serializer.serialize(restored, byte[].class).getData()).isEqualTo(snapshot.getData());

        List<Object> probes = probes();
        int refusals = 0;
        for (Object probe : probes) {
            Object expected = outcome(eventSourced().givenCommands(history).when(probe, AS_CLINICIAN));
            Object actual = outcome(eventSourced().givenState(() -> serializer.deserialize(snapshot)).when(probe, AS_CLINICIAN));
            assertThat(actual).as("%s", probe).isEqualTo(expected);
            if (expected instanceof String) refusals++;
        }
        assertThat(refusals).as("the probes exercise refusals").isGreaterThanOrEqualTo(12).isLessThan(probes.size() - 8);
    }

    @Test
    void a_damaged_snapshot_is_refused_not_misread() throws Exception {
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(history()).when(new DescribeEntry(PATIENT, photos.get(1))).expectState(captured::set);
        JacksonSerializer serializer = SnapshotSerializer.json();
        SerializedObject<byte[]> snapshot = serializer.serialize(captured.get(), byte[].class);
        com.fasterxml.jackson.databind.ObjectMapper mapper = LedgerJson.objectMapper();

        // An entry without a type would pass for no entry at all: refused.
        com.fasterxml.jackson.databind.node.ObjectNode untyped = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        ((com.fasterxml.jackson.databind.node.ArrayNode) untyped.get("entries").get(3)).setNull(1);
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(untyped))))
                .hasStackTraceContaining("has no type");

        // The same treatment twice on the timeline: refused, as the aggregate itself would refuse it.
        com.fasterxml.jackson.databind.node.ObjectNode twice = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        com.fasterxml.jackson.databind.node.ArrayNode doses = (com.fasterxml.jackson.databind.node.ArrayNode) twice.get("doses");
        doses.add(doses.get(0).deepCopy());
        com.fasterxml.jackson.databind.node.ArrayNode sequences = (com.fasterxml.jackson.databind.node.ArrayNode) twice.get("doseSequences");
        sequences.add(sequences.get(0).deepCopy()); // its sequence too (revision 6), so the rows still fit their column
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(twice))))
                .hasStackTraceContaining("already on the timeline");

        // A dose row without its sequence: the rows no longer fit their sequence column.
        com.fasterxml.jackson.databind.node.ObjectNode unsequenced = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        ((com.fasterxml.jackson.databind.node.ArrayNode) unsequenced.get("doseSequences")).remove(0);
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(unsequenced))))
                .hasStackTraceContaining("dose sequences for");

        // Two ids swapped: still valid base64, but a binary search would miss ids that are there.
        com.fasterxml.jackson.databind.node.ObjectNode swapped = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        byte[] bytes = Base64.getDecoder().decode(swapped.get("packedIds").asText());
        swapFirstTwoIds(bytes);
        swapped.put("packedIds", Base64.getEncoder().encodeToString(bytes));
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(swapped))))
                .hasStackTraceContaining("packed ids out of order");

        // A character outside the base64 alphabet would decode to a wrong id without any error.
        com.fasterxml.jackson.databind.node.ObjectNode garbled = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        garbled.put("packedIds", "!" + garbled.get("packedIds").asText().substring(1));
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(garbled))))
                .hasStackTraceContaining("base64");

        // A side effect flag without its side effect id: the columns no longer fit each other.
        com.fasterxml.jackson.databind.node.ObjectNode flagged = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(snapshot.getData());
        byte[] kinds = flagged.get("packedKinds").binaryValue();
        int plain = 0;
        while ((kinds[plain] & 0x40) != 0) plain++;
        kinds[plain] |= 0x40;
        flagged.put("packedKinds", kinds);
        assertThatThrownBy(() -> serializer.deserialize(doctored(snapshot, mapper.writeValueAsBytes(flagged))))
                .hasStackTraceContaining("side effect id bytes");

        // The untouched snapshot still reads.
        assertThat(((Patient) serializer.deserialize(snapshot)).entries()).isEqualTo(captured.get().entries());
    }

    private static void swapFirstTwoIds(byte[] packed) {
        byte[] first = Arrays.copyOfRange(packed, 0, 16);
        System.arraycopy(packed, 16, packed, 0, 16);
        System.arraycopy(first, 0, packed, 16, 16);
    }

    private static SerializedObject<byte[]> doctored(SerializedObject<byte[]> original, byte[] data) {
        return new SimpleSerializedObject<>(data, byte[].class, original.getType());
    }

    @Test
    void state_changed_after_a_snapshot_is_written_and_read_back_alike() throws Exception {
        // Entries added, voided and amended on top of a restored aggregate, then snapshotted again.
        List<Object> history = history();
        JacksonSerializer serializer = SnapshotSerializer.json();
        AtomicReference<Patient> first = new AtomicReference<>();
        fixture.givenCommands(history).when(new DescribeEntry(PATIENT, photos.get(1))).expectState(first::set);
        SerializedObject<byte[]> snapshot = serializer.serialize(first.get(), byte[].class);

        List<Object> more = List.of(photo(uuid(900)), new VoidEntry(PATIENT, uuid(901), photos.get(2), "wrong"),
                new VoidEntry(PATIENT, uuid(910), reports.get(5), "wrong"),
                new AmendEntry(PATIENT, uuid(902), resolutions.get(7), "time", new SideEffectResolutionDetails(hour(295), null), null),
                sideEffect(uuid(904), uuid(905), "2026-01-01", SideEffectType.BRUISING, Zone.NECK),
                resolve("free-text-resolution", uuid(905), "2026-01-05"));
        AtomicReference<Patient> fromEvents = new AtomicReference<>();
        List<Object> all = new ArrayList<>(history);
        all.addAll(more);
        eventSourced().givenCommands(all).when(new DescribeEntry(PATIENT, photos.get(1))).expectState(fromEvents::set);
        AtomicReference<Patient> fromSnapshot = new AtomicReference<>();
        eventSourced().givenState(() -> serializer.deserialize(snapshot)).andGivenCommands(more)
                .when(new DescribeEntry(PATIENT, photos.get(1))).expectState(fromSnapshot::set);

        Patient restoredAgain = serializer.deserialize(serializer.serialize(fromSnapshot.get(), byte[].class));
        for (Patient p : List.of(fromSnapshot.get(), restoredAgain)) {
            assertThat(p.entries()).isEqualTo(fromEvents.get().entries());
            assertThat(p.timeline().sideEffectList()).isEqualTo(fromEvents.get().timeline().sideEffectList());
            assertThat(p.voidedSideEffectReports()).isEqualTo(fromEvents.get().voidedSideEffectReports()).hasSize(2);
        }
        assertThat(serializer.serialize(restoredAgain, byte[].class).getData())
                .isEqualTo(serializer.serialize(fromEvents.get(), byte[].class).getData());
    }

    private static AggregateTestFixture<Patient> eventSourced() {
        AggregateTestFixture<Patient> f = new AggregateTestFixture<>(Patient.class);
        f.registerInjectableResource(ClinicPolicy.defaults());
        f.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
        return f;
    }

    /** What the command did: its result and events, or (as a string) its refusal. */
    private static Object outcome(ResultValidator<Patient> result) {
        AtomicReference<Object> seen = new AtomicReference<>();
        try {
            result.expectSuccessfulHandlerExecution();
        } catch (AxonAssertionError threw) {
            result.expectException(capture(e -> seen.set(e instanceof RuleViolationException r
                    ? "refused " + r.violations() + " earliest " + r.earliestAllowed()
                    : "failed " + e.getClass().getSimpleName() + ": " + ((Throwable) e).getMessage())));
            return seen.get();
        }
        List<Object> events = new ArrayList<>();
        result.expectEventsMatching(capture(list -> ((List<?>) list).forEach(m -> events.add(((EventMessage<?>) m).getPayload()))));
        result.expectResultMessagePayloadMatching(capture(payload -> events.add(0, String.valueOf(payload))));
        return events;
    }

    private static <T> Matcher<T> capture(Consumer<Object> sink) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object actual) {
                sink.accept(actual);
                return true;
            }

            @Override
            public void describeTo(Description description) { description.appendText("anything"); }
        };
    }

}
