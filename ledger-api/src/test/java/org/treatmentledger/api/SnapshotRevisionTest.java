package org.treatmentledger.api;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.Snapshotter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.treatmentledger.core.patient.Patient;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.PatientSnapshot;
import org.treatmentledger.core.snapshot.SnapshotSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots stored in an older format (unversioned, the compact revision 2, the packed revision 4; revision 3 is
 * skipped alike) must not break a running clinic: Axon's RevisionSnapshotFilter, configured from Patient's
 * {@code @Revision} and passed to the JDBC storage engine, skips them and the patient is sourced from its
 * events. A snapshot at the current revision is still used (the control: a doctored one changes the decision),
 * in JSON (as Axon Server stores it) and in Smile (as the JDBC store does).
 */
class SnapshotRevisionTest extends LedgerTestSupport {

    /** The current snapshot reader (JSON). */
    private static final com.fasterxml.jackson.databind.ObjectMapper SNAPSHOTS = SnapshotSerializer.json().getObjectMapper();

    @Autowired
    List<Cache> caches;

    @Autowired
    Snapshotter snapshotter;

    @Test
    void an_old_format_snapshot_is_ignored_and_the_patient_is_sourced_from_its_events() {
        String patient = registerPatient(daysAgo(30));
        String injection = injectGlabella(patient, daysAgo(3));
        // The unversioned form written before revision 2 (one object per entry), claiming no treatment at all:
        // the current reader cannot read it, and if anything read it the laser below would be accepted.
        String oldFormat = """
                {"patientId":"%1$s","registeredAt":"%2$s","sex":"FEMALE",
                 "entries":{"%1$s:registration":{"type":"REGISTRATION","voided":false,"sideEffectId":null},
                            "%3$s":{"type":"INJECTION","voided":false,"sideEffectId":null}},
                 "sideEffectReports":{},"timeline":{"doses":[],"lasers":[],"sideEffects":[]}}"""
                .formatted(patient, daysAgo(30), injection);
        assertThatThrownBy(() -> SNAPSHOTS.readValue(oldFormat, Patient.class))
                .as("without the filter, this snapshot would fail the load").isInstanceOf(IOException.class);
        storeSnapshot(patient, null, oldFormat);

        assertLaserRefused(patient);
    }

    @Test
    void a_revision_2_snapshot_is_ignored_and_the_patient_is_sourced_from_its_events() {
        String patient = registerPatient(daysAgo(30));
        String injection = injectGlabella(patient, daysAgo(3));
        // Revision 2 (entry ids as JSON strings grouped by type), claiming no treatment on the timeline: were it
        // used, the laser below would be accepted.
        String revision2 = """
                {"patientId":"%1$s","registeredAt":"%2$s","sex":"FEMALE","entryCount":2,
                 "entries":{"REGISTRATION":["%1$s:registration"],"INJECTION":["%3$s"]},
                 "sideEffectEntries":{},"voided":[],"timeline":{"doses":[],"lasers":[],"sideEffects":[]}}"""
                .formatted(patient, daysAgo(30), injection);
        assertThatThrownBy(() -> SNAPSHOTS.readValue(revision2, Patient.class))
                .as("without the filter, this snapshot would fail the load").isInstanceOf(IOException.class);
        storeSnapshot(patient, "2", revision2);

        assertLaserRefused(patient);
    }

    @Test
    void a_revision_4_snapshot_is_ignored_and_the_patient_is_sourced_from_its_events() {
        String patient = registerPatient(daysAgo(30));
        String injection = injectGlabella(patient, daysAgo(3));
        // Revision 4 (packed columns; the entries listed apart here), claiming no treatment on the timeline: were
        // it used, the laser below would be accepted.
        String revision4 = """
                {"patientId":"%1$s","registeredAt":"%2$s","sex":"FEMALE",
                 "entries":{"types":["REGISTRATION","INJECTION"],"others":[["%1$s:registration",0,null],["%3$s",1,null]]},
                 "timeline":{"doses":[],"lasers":[],"sideEffects":{"n":0}}}"""
                .formatted(patient, daysAgo(30), injection);
        assertThatThrownBy(() -> SNAPSHOTS.readValue(revision4, Patient.class))
                .as("without the filter, this snapshot would fail the load").isInstanceOf(IOException.class);
        storeSnapshot(patient, "4", revision4);

        assertLaserRefused(patient);
    }

    /** The injection is on the timeline (the events', or a faithful snapshot's): the laser is refused. */
    private void assertLaserRefused(String patient) {
        Http.Response laser = http.post("injector", "/api/patients/" + patient + "/laser-sessions",
                laser(daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));

        assertThat(laser.status()).as(laser.raw()).isEqualTo(409);
        assertThat(laser.text("code")).isEqualTo("LASER_AFTER_TOXIN_LIGHT");
    }

    @Test
    void a_snapshot_at_the_current_revision_is_used() {
        String patient = registerPatient(daysAgo(30));
        String injection = injectGlabella(patient, daysAgo(3));
        // Current form (here in JSON) without the injection: only a used snapshot lets the laser through.
        storeSnapshot(patient, PatientSnapshot.REVISION, withoutTheInjection(patient, injection));

        assertLaserAccepted(patient);
    }

    @Test
    void the_service_stores_binary_snapshots_and_loads_from_them() throws Exception {
        String patient = registerPatient(daysAgo(30));
        injectGlabella(patient, daysAgo(3));
        snapshotter.scheduleSnapshot(Patient.class, patient);
        byte[] stored = jdbc.queryForObject("SELECT payload FROM snapshotevententry WHERE aggregateidentifier = ?",
                byte[].class, patient);
        assertThat(new String(stored, 0, 3, StandardCharsets.US_ASCII)).as("a Smile document").isEqualTo(":)\n");
        caches.forEach(Cache::removeAll);
        // Loaded from that snapshot, the injection is on the timeline: the laser is refused.
        assertLaserRefused(patient);

        // The control: the same doctored snapshot as above, in Smile, lets the laser through, so it was read.
        String other = registerPatient(daysAgo(30));
        String injection = injectGlabella(other, daysAgo(3));
        storeSnapshot(other, PatientSnapshot.REVISION, LedgerJson.smileMapper().writeValueAsBytes(
                LedgerJson.objectMapper().readTree(withoutTheInjection(other, injection))));

        assertLaserAccepted(other);
    }

    /** The current form, doctored to leave the injection off the timeline (its entry is still there). */
    private String withoutTheInjection(String patient, String injection) {
        return """
                {"patientId":"%1$s","registeredAt":"%2$s","sex":"FEMALE",
                 "entries":[["%1$s:registration","REGISTRATION",false,null],["%3$s","INJECTION",false,null]],
                 "voidedSideEffectReports":[],"doses":[],"lasers":[],"sideEffects":null}"""
                .formatted(patient, daysAgo(30), injection);
    }

    /** Only a snapshot without the injection lets this laser through. */
    private void assertLaserAccepted(String patient) {
        Http.Response laser = http.post("injector", "/api/patients/" + patient + "/laser-sessions",
                laser(daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));
        assertThat(laser.status()).as(laser.raw()).isEqualTo(201);
    }

    private String injectGlabella(String patient, Instant at) {
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections", glabella20(at));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("entryId");
    }

    /** A snapshot row as Axon's JDBC engine writes it, at the stream's last sequence; then a cold next load. */
    private void storeSnapshot(String patient, String revision, String payload) {
        storeSnapshot(patient, revision, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void storeSnapshot(String patient, String revision, byte[] payload) {
        Long last = jdbc.queryForObject("SELECT max(sequencenumber) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, patient);
        jdbc.update("DELETE FROM snapshotevententry WHERE aggregateidentifier = ?", patient);
        jdbc.update("""
                INSERT INTO snapshotevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata,
                    payload, payloadrevision, payloadtype, timestamp) VALUES (?, ?, 'Patient', ?, ?, ?, ?, ?, ?)""",
                patient, last, UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8),
                payload, revision, Patient.class.getName(), Instant.now().toString());
        caches.forEach(Cache::removeAll);
    }
}
