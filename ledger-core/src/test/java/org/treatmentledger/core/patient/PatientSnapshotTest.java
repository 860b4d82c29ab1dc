package org.treatmentledger.core.patient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.TimingRules;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.TimelineEntry;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.PatientSnapshot;
import org.treatmentledger.core.snapshot.SnapshotSerializer;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Clock;
import java.time.ZoneOffset;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Product;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate's snapshot (core.snapshot): serialised as Axon's snapshotter does, it comes back equal and decides the same. */
class PatientSnapshotTest extends PatientTestSupport {

    @Test
    void jackson_snapshot_round_trip_restores_equal_state_and_the_same_decisions() throws Exception {
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(register(), injection("inj1", "2026-01-05", List.of(dose(Site.CROWS_FEET_LEFT, 8),
                                dose(Site.PLATYSMA, 30))), touchUp("tu", "2026-01-20"),
                        laser("bbl", "2026-02-01", LaserDeviceClass.BROADBAND_LIGHT, Zone.NECK),
                        seriesLaser("s1", "2026-03-01", "series-a"),
                        sideEffect("se", "s-1", "2026-03-02", SideEffectType.BRUISING, Zone.CHEEKS),
                        sideEffect("se2", "s-2", "2026-03-02", SideEffectType.SMILE_CHANGE, Zone.PERIORAL),
                        resolve("res", "s-2", "2026-03-09"),
                        sideEffect("se3", "s-3", "2026-03-10", SideEffectType.BRUISING, Zone.NECK),
                        new VoidEntry(PATIENT, "v0", "se3", "reported on the wrong patient"),
                        injection("inj2", "2026-04-01"),
                        new VoidEntry(PATIENT, "v1", "inj2", "wrong patient"),
                        new AmendEntry(PATIENT, "c1", "bbl", "zone", laserDetails("2026-02-02",
                                LaserDeviceClass.BROADBAND_LIGHT, null, Zone.NECK, Zone.CHEEKS), null))
                .when(injection("inj3", "2026-05-01"))
                .expectSuccessfulHandlerExecution()
                .expectState(captured::set);
        Patient original = captured.get();

        // As Axon's AggregateSnapshotter does: the aggregate instance is the snapshot event's payload.
        JacksonSerializer serializer = SnapshotSerializer.json();
        SerializedObject<byte[]> snapshot = serializer.serialize(original, byte[].class);
        assertThat(snapshot.getType().getName()).isEqualTo(Patient.class.getName());
        // The snapshot format's revision: Axon skips snapshots stored with any other (see SnapshotRevisionTest).
        assertThat(snapshot.getType().getRevision()).isEqualTo("6").isEqualTo(PatientSnapshot.REVISION);
        Patient restored = serializer.deserialize(snapshot);

        ObjectMapper json = LedgerJson.objectMapper();
        JsonNode before = json.readTree(snapshot.getData());
        JsonNode after = json.readTree(serializer.serialize(restored, byte[].class).getData());
        assertThat(after).isEqualTo(before);
        assertThat(restored.patientId()).isEqualTo(original.patientId());
        assertThat(restored.entries()).isEqualTo(original.entries());
        assertThat(restored.entries().get("se3").voided()).isTrue();
        assertThat(restored.voidedSideEffectReports()).containsExactly("s-3").isEqualTo(original.voidedSideEffectReports());
        assertThat(restored.timeline()).isEqualTo(original.timeline());
        assertThat(restored.timeline().sideEffectList()).isEqualTo(original.timeline().sideEffectList());

        // The same decisions: refusals and acceptances of the same candidates.
        ClinicPolicy policy = ClinicPolicy.defaults();
        List<TimelineEntry> candidates = List.of(
                new LaserEntry("x1", TimelineEntry.NOT_YET_RECORDED, at("2026-03-05"), LaserDeviceClass.FRACTIONAL_ABLATIVE, List.of(Zone.CHEEKS), null),
                new LaserEntry("x2", TimelineEntry.NOT_YET_RECORDED, at("2026-03-20"), LaserDeviceClass.BROADBAND_LIGHT, List.of(Zone.CHEEKS), "series-a"),
                new LaserEntry("x3", TimelineEntry.NOT_YET_RECORDED, at("2026-05-05"), LaserDeviceClass.BROADBAND_LIGHT, List.of(Zone.PERIORAL), null),
                new DoseEntry("x4", TimelineEntry.NOT_YET_RECORDED, at("2026-02-10"), true, Product.ONABOTULINUMTOXIN_A,
                        null, List.of(dose(Site.GLABELLA, 4))),
                new DoseEntry("x5", TimelineEntry.NOT_YET_RECORDED, at("2026-06-01"), false, Product.ONABOTULINUMTOXIN_A,
                        DoseIntent.LIGHT, List.of(dose(Site.GLABELLA, 20))));
        int refusals = 0;
        for (TimelineEntry candidate : candidates) {
            var expected = TimingRules.violations(original.timeline(), null, candidate, policy);
            assertThat(TimingRules.violations(restored.timeline(), null, candidate, policy)).isEqualTo(expected);
            if (!expected.isEmpty()) refusals++;
        }
        assertThat(refusals).as("the candidates exercise refusals").isGreaterThanOrEqualTo(3);

        // The restored aggregate takes over the stream: further commands are decided the same way.
        for (var command : List.<Object>of(laser("x1", "2026-03-05", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS),
                laser("x3", "2026-05-05", LaserDeviceClass.BROADBAND_LIGHT, Zone.PERIORAL))) {
            var fromSnapshot = new AggregateTestFixture<>(Patient.class);
            fromSnapshot.registerInjectableResource(policy);
            fromSnapshot.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
            fromSnapshot.givenState(() -> serializer.deserialize(snapshot))
                    .when(command, AS_CLINICIAN)
                    .expectException(RuleViolationException.class)
                    .expectNoEvents();
        }
        // Side effect ids stay used after a snapshot: the timeline's (s-1) and a voided report's (s-3) alike.
        for (String used : List.of("s-1", "s-3")) {
            var fromSnapshot = new AggregateTestFixture<>(Patient.class);
            fromSnapshot.registerInjectableResource(policy);
            fromSnapshot.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
            fromSnapshot.givenState(() -> serializer.deserialize(snapshot))
                    .when(sideEffect("again-" + used, used, "2026-06-02", SideEffectType.BRUISING, Zone.NECK))
                    .expectException(refused(RuleCode.DUPLICATE_ENTRY_ID, null))
                    .expectNoEvents();
        }
    }

    @Test
    void snapshot_lists_entries_that_are_not_uuids_as_rows_and_keeps_every_instant_exact() throws Exception {
        // Sub-millisecond and pre-1677 instants (outside what epoch nanos in a long can hold) come back exactly.
        Instant registered = Instant.parse("1650-03-01T08:00:00.000000001Z");
        Instant reported = Instant.parse("2026-03-02T10:00:00.123456789Z");
        Instant longAgo = Instant.parse("1670-05-01T00:00:00.5Z");
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(new RegisterPatient(PATIENT, "clinic-1", Sex.FEMALE, 1980, null, registered),
                        new ReportSideEffect(PATIENT, "se", "s-1", new SideEffectDetails(reported, SideEffectType.BRUISING,
                                Severity.MILD, Zone.CHEEKS, null, null)),
                        new ReportSideEffect(PATIENT, "se-0", "s-0", new SideEffectDetails(longAgo, SideEffectType.HEADACHE,
                                Severity.MILD, null, null, null)))
                .when(injection("inj", "2026-05-01"))
                .expectSuccessfulHandlerExecution()
                .expectState(captured::set);
        Patient original = captured.get();

        JacksonSerializer serializer = SnapshotSerializer.json();
        SerializedObject<byte[]> snapshot = serializer.serialize(original, byte[].class);
        JsonNode json = LedgerJson.objectMapper().readTree(snapshot.getData());
        assertThat(json.get("registeredAt").isTextual()).isTrue();
        // Ids that are not UUIDs are positional rows, [id, type, voided, side effect id], sorted by id; types by name.
        JsonNode entries = json.get("entries");
        assertThat(entries.size()).isEqualTo(4);
        assertThat(json.get("packedKinds").asText()).isEmpty();
        assertThat(entries.toString()).contains("[\"inj\",\"INJECTION\",false,null]")
                .contains("[\"se\",\"SIDE_EFFECT_REPORTED\",false,\"s-1\"]");
        assertThat(entries.get(1).get(0).asText()).as("sorted by id").isEqualTo(PATIENT + ":registration");
        // Side effects are columns; instants as epoch seconds and nanos, onset and resolution per side effect.
        assertThat(json.get("sideEffects").get("seconds").size()).isEqualTo(4);
        assertThat(json.get("sideEffects").get("seconds").get(2).asLong()).isEqualTo(longAgo.getEpochSecond());
        assertThat(json.get("sideEffects").get("nanos").toString()).isEqualTo("[123456789,-1,500000000,-1]");

        Patient restored = serializer.deserialize(snapshot);
        assertThat(restored.state().registeredAt()).isEqualTo(registered);
        assertThat(restored.timeline().sideEffect("s-1").onset()).isEqualTo(reported);
        assertThat(restored.timeline().sideEffect("s-0").onset()).isEqualTo(longAgo);
        assertThat(restored.timeline().sideEffect("s-0").resolvedAt()).isNull();
        assertThat(restored.timeline()).isEqualTo(original.timeline());
        assertThat(restored.entries()).isEqualTo(original.entries());
    }

    @Test
    void the_snapshot_format_revision_is_the_one_axon_filters_by() {
        // Axon's aggregate configuration builds its snapshot filter from Patient's @Revision; the serializer
        // stores the same annotation's value. Raising PatientSnapshot.REVISION alone must fail here.
        assertThat(Patient.class.getAnnotation(org.axonframework.serialization.Revision.class).value())
                .isEqualTo(PatientSnapshot.REVISION);
    }
}
