package org.treatmentledger.api.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.api.fhir.FhirValidation;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.store.EventCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure end to end: canaries in every personal field of a patient are ciphertext in the event store before,
 * nowhere in the database (every column of every table, bytea decoded) nor in the service's log after, while the
 * clinical facts and the tamper-evident log's verification stay.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErasureTest extends LedgerTestSupport {

    private static final int BIRTH_YEAR = 1931;

    @Autowired
    EventCodec codec;

    @Autowired
    ConnectionProvider connectionProvider;

    @Autowired
    TransactionManager axonTransactions;

    /** The canaries, by the field that carries each. */
    private final Map<String, String> canaries = new LinkedHashMap<>();

    private String canary(String field) {
        String c = "CANARY" + field.toUpperCase().replaceAll("[^A-Z]", "") + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        canaries.put(field, c);
        return c;
    }

    /** A patient with a canary in each of its personal fields; answers its id. */
    private String patientWithCanaries() {
        String externalRef = canary("externalRef");
        Http.Response reg = http.post("clinician", "/api/patients", """
                {"clinicId":"clinic-1","sex":"FEMALE","birthYear":%d,"externalRef":"%s","registeredAt":"%s"}"""
                .formatted(BIRTH_YEAR, externalRef, daysAgo(400)));
        assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
        String p = reg.text("patientId");
        String base = "/api/patients/" + p;
        String injection = created(http.post("injector", base + "/injections", glabella20(daysAgo(100))));
        created(http.post("clinician", base + "/laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","zones":["CHEEKS"],"override":{"reason":"%s"}}"""
                .formatted(daysAgo(98), canary("overrideReason"))));
        created(http.post("injector", base + "/photo-checkpoints", """
                {"occurredAt":"%s","kind":"BASELINE","images":[{"view":"FRONT","sha256":"%s","uri":"s3://photos/%s.jpg"}]}"""
                .formatted(daysAgo(97), "ab".repeat(32), canary("photoUri"))));
        Http.Response se = http.post("injector", base + "/side-effects", """
                {"occurredAt":"%s","type":"BRUISING","severity":"MILD","zone":"FOREHEAD","note":"%s"}"""
                .formatted(daysAgo(96), canary("sideEffectNote")));
        created(se);
        created(http.post("injector", base + "/side-effects/" + se.text("sideEffectId") + "/resolution",
                "{\"occurredAt\":\"%s\",\"note\":\"%s\"}".formatted(daysAgo(90), canary("resolutionNote"))));
        String factor = created(http.post("injector", base + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"note\":\"%s\"}".formatted(daysAgo(80), canary("factorNote")),
                Map.of("Idempotency-Key", UUID.randomUUID().toString())));
        created(http.post("clinician", base + "/corrections", """
                {"targetEntryId":"%s","action":"AMEND","reason":"%s",
                 "replacement":{"occurredAt":"%s","factor":"ILLNESS","note":"%s"}}"""
                .formatted(factor, canary("amendReason"), daysAgo(80), canary("replacementNote"))));
        String extra = created(http.post("injector", base + "/movement-returns",
                "{\"occurredAt\":\"%s\",\"sites\":[\"GLABELLA\"]}".formatted(daysAgo(20))));
        created(http.post("clinician", base + "/corrections",
                "{\"targetEntryId\":\"%s\",\"action\":\"VOID\",\"reason\":\"%s\"}".formatted(extra, canary("voidReason"))));
        assertThat(injection).isNotBlank();
        return p;
    }

    private static String created(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("entryId");
    }

    @Test
    void an_erased_patient_has_no_personal_data_left_anywhere_and_its_clinical_facts_and_proofs_stay(CapturedOutput output)
            throws Exception {
        String p = patientWithCanaries();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("clinician", "/api/patients/" + p + "/history")
                .raw().contains(canaries.get("voidReason")));

        // Before: the reads show every canary; the event store holds each only as ciphertext.
        String history = http.get("clinician", "/api/patients/" + p + "/history").raw();
        canaries.forEach((field, c) -> assertThat(history).as(field).contains(c));
        assertThat(http.get("clinician", "/api/patients/" + p).json().at("/details/birthYear").asInt()).isEqualTo(BIRTH_YEAR);
        List<String> stored = jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domainevententry"
                + " WHERE aggregateidentifier = ?", String.class, p);
        String all = String.join("\n", stored);
        canaries.forEach((field, c) -> assertThat(all).as(field).doesNotContain(c));
        assertThat(all).doesNotContain("\"birthYear\":" + BIRTH_YEAR).contains("\"birthYear\":\"pd1:" + p + ":");
        // ... and only as ciphertext: the same stored bytes read through the data keys give the canaries back.
        String registration = stored.stream().filter(s -> s.contains("\"externalRef\"")).findFirst().orElseThrow();
        PatientRegistered decoded = (PatientRegistered) codec.fromJson("PatientRegistered",
                registration.getBytes(StandardCharsets.UTF_8));
        assertThat(decoded.externalRef()).isEqualTo(canaries.get("externalRef"));
        assertThat(decoded.birthYear()).isEqualTo(BIRTH_YEAR);
        assertThat(found(p)).as("the scan sees the patient's rows (row-level security included)").isPositive();
        Long idempotency = jdbc.queryForObject("SELECT count(*) FROM idempotency_key WHERE patient_id = ?", Long.class, p);
        assertThat(idempotency).isEqualTo(1);
        JsonNode unitsBefore = http.get("clinician", "/api/patients/" + p + "/units").json();
        List<String> factsBefore = clinicalFacts(p);

        // A bulk export of the patient's clinic, which may hold its data in clear: the erasure discards it.
        Http.Response kickOff = http.send("clinician", "GET", "/api/fhir/$export", null,
                Map.of("Accept", "application/fhir+json", "Prefer", "respond-async"));
        assertThat(kickOff.status()).as(kickOff.raw()).isEqualTo(202);
        String exportJob = kickOff.header("Content-Location").substring(kickOff.header("Content-Location").indexOf("/api/"));
        assertThat(http.get("clinician", exportJob).status()).isIn(200, 202);

        // The erasure.
        long events = eventCount(p);
        Http.Response erased = http.post("clinician", "/api/patients/" + p + "/erasure", "{\"reason\":\"Art. 17 request\"}");
        assertThat(erased.status()).as(erased.raw()).isEqualTo(201);
        assertThat(erased.text("entryId")).isEqualTo(p + ":erasure");
        assertThat(eventCount(p)).isEqualTo(events + 1);
        assertProblem(http.get("clinician", exportJob), 404);
        assertThat(jdbc.queryForMap("SELECT kek_id, wrapped_key, destroyed_at FROM ledger_data_key WHERE key_id = ?", p))
                .containsEntry("kek_id", null).containsEntry("wrapped_key", null).extractingByKey("destroyed_at").isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("clinician", "/api/patients/" + p + "/history")
                .raw().contains("ERASURE"));

        // Reads: the personal fields are null, the patient says erased, the clinical facts are the same.
        JsonNode patient = http.get("clinician", "/api/patients/" + p).json();
        assertThat(patient.get("erased").asBoolean()).isTrue();
        assertThat(patient.at("/details/birthYear").isNull()).isTrue();
        assertThat(patient.at("/details/externalRef").isNull()).isTrue();
        assertThat(patient.at("/details/clinicId").asText()).isEqualTo("clinic-1");
        Http.Response after = http.get("clinician", "/api/patients/" + p + "/history");
        assertThat(after.json().get("erased").asBoolean()).isTrue();
        assertThat(after.raw()).contains("Art. 17 request");
        canaries.forEach((field, c) -> assertThat(after.raw()).as(field).doesNotContain(c));
        assertThat(http.get("clinician", "/api/patients/" + p + "/units").json()).isEqualTo(unitsBefore);
        assertThat(clinicalFacts(p)).isEqualTo(factsBefore);

        // A second erasure is refused and stores nothing; so is any new entry.
        Http.Response again = http.post("clinician", "/api/patients/" + p + "/erasure", "{\"reason\":\"again\"}");
        assertProblem(again, 409);
        assertThat(again.text("code")).isEqualTo("ALREADY_ERASED");
        Http.Response write = http.post("injector", "/api/patients/" + p + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1)));
        assertProblem(write, 409);
        assertThat(write.text("code")).isEqualTo("PATIENT_ERASED");
        assertThat(eventCount(p)).isEqualTo(events + 1);

        // The FHIR export carries nothing identifying, and is still valid.
        Http.Response fhir = http.get("clinician", "/api/patients/" + p + "/fhir");
        assertThat(fhir.status()).as(fhir.raw()).isEqualTo(200);
        canaries.forEach((field, c) -> assertThat(fhir.raw()).as(field).doesNotContain(c));
        assertThat(fhir.raw()).doesNotContain("birthDate").doesNotContain(String.valueOf(BIRTH_YEAR));
        assertThat(FhirValidation.errors(FhirValidation.validate(fhir.raw()))).isEmpty();

        // The whole store still verifies: its leaves hash the ciphertext, which erasure does not touch.
        awaitSealed();
        JsonNode report = http.post("auditor", "/api/admin/ledger/verify", "").json();
        assertThat(report.get("verified").asBoolean()).as(report.toString()).isTrue();

        // A rebuild reads the fields as erased too, with the same clinical facts.
        assertThat(http.post("clinician", "/api/admin/rebuilds/history", "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Http.Response progress = http.get("clinician", "/api/admin/rebuilds/history");
            assertThat(progress.json().get("replaying").asBoolean()).isFalse();
            assertThat(progress.json().get("running").asBoolean()).isTrue();
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("clinician", "/api/patients/" + p + "/history").raw()).contains("ERASURE"));
        String rebuilt = http.get("clinician", "/api/patients/" + p + "/history").raw();
        canaries.forEach((field, c) -> assertThat(rebuilt).as(field).doesNotContain(c));
        assertThat(clinicalFacts(p)).isEqualTo(factsBefore);

        // Nowhere in the database, nowhere in the log.
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_key WHERE patient_id = ?", Long.class, p)).isZero();
        Map<String, Long> left = new LinkedHashMap<>();
        for (String c : canaries.values()) left.put(c, scan(c));
        left.put("birthYear", scan("\"birthYear\":" + BIRTH_YEAR) + scan("\"birthYear\": " + BIRTH_YEAR));
        assertThat(left).as("canaries left in the database").allSatisfy((c, n) -> assertThat(n).as(c).isZero());
        canaries.forEach((field, c) -> assertThat(output.getAll()).as(field + " in the log").doesNotContain(c));
    }

    @Test
    void another_clinics_patient_answers_as_an_unknown_one_and_keeps_its_key() {
        Http.Response reg = http.post("clinician2", "/api/patients", "{\"clinicId\":\"clinic-2\",\"sex\":\"MALE\",\"externalRef\":\"x\"}");
        assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
        String p2 = reg.text("patientId");
        Http.Response other = http.post("clinician", "/api/patients/" + p2 + "/erasure", "{\"reason\":\"r\"}");
        String unknownId = UUID.randomUUID().toString();
        Http.Response unknown = http.post("clinician", "/api/patients/" + unknownId + "/erasure", "{\"reason\":\"r\"}");
        assertProblem(other, 404);
        assertThat(other.raw().replace(p2, "<id>")).isEqualTo(unknown.raw().replace(unknownId, "<id>"));
        assertThat(jdbc.queryForObject("SELECT destroyed_at IS NULL FROM ledger_data_key WHERE key_id = ?", Boolean.class, p2)).isTrue();
        assertProblem(http.post("injector", "/api/patients/" + p2 + "/erasure", "{\"reason\":\"r\"}"), 403);
        Http.Response blank = http.post("clinician2", "/api/patients/" + p2 + "/erasure", "{\"reason\":\" \"}");
        assertProblem(blank, 400);
        assertThat(blank.json().get("errors").findValuesAsText("field")).contains("reason");
        assertThat(eventCount(p2)).isEqualTo(1);
    }

    @Test
    void a_patient_with_personal_values_stored_in_clear_by_an_earlier_version_is_refused_and_nothing_changes() {
        String p = registerPatient(daysAgo(50));
        String type = jdbc.queryForObject("SELECT type FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = 0",
                String.class, p);
        // As a version before encryption stored it: the plain serializer, through Axon's own JDBC storage engine.
        JdbcEventStorageEngine earlierVersion = JdbcEventStorageEngine.builder()
                .eventSerializer(LedgerJson.serializer()).snapshotSerializer(LedgerJson.serializer())
                .connectionProvider(connectionProvider).transactionManager(axonTransactions)
                .schema(new EventSchema()).dataType(byte[].class).build();
        String note = canary("legacyNote");
        axonTransactions.executeInTransaction(() -> earlierVersion.appendEvents(new GenericDomainEventMessage<>(type, p, 1,
                new CycleFactorReported(PatientId.of(p), UUID.randomUUID().toString(), daysAgo(10), CycleFactor.STRESS, note),
                MetaData.with(PatientEvent.RECORDED_BY, "injector"))));
        assertThat(scan(note)).as("stored in clear (the event store, and soon the read side's copy)").isPositive();

        Http.Response refused = http.post("clinician", "/api/patients/" + p + "/erasure", "{\"reason\":\"Art. 17\"}");
        assertProblem(refused, 409);
        assertThat(refused.text("code")).isEqualTo("PLAINTEXT_NOT_ERASABLE");
        assertThat(eventCount(p)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT destroyed_at IS NULL FROM ledger_data_key WHERE key_id = ?", Boolean.class, p)).isTrue();
    }

    @Autowired
    org.axonframework.eventsourcing.eventstore.EventStorageEngine storageEngine;

    /**
     * A new patient's key goes into its registration's own statement (NewDataKeys, CompanionStatements): stored when
     * the registration is, never without it, and the key stored is the one its personal fields are encrypted with.
     */
    @Test
    void a_new_patients_data_key_is_stored_with_its_registration_and_never_without_it() {
        String p = registerPatient(daysAgo(40));
        assertThat(jdbc.queryForObject("SELECT destroyed_at IS NULL FROM ledger_data_key WHERE key_id = ?", Boolean.class, p)).isTrue();
        String someEvent = jdbc.queryForObject("SELECT eventidentifier FROM domainevententry WHERE aggregateidentifier = ?"
                + " AND sequencenumber = 0", String.class, p);

        // A registration whose event cannot be stored (its event id is taken): its key must not be stored either.
        String q = UUID.randomUUID().toString();
        var refused = new GenericDomainEventMessage<>("Patient", q, 0, new PatientRegistered(PatientId.of(q),
                q + ":registration", daysAgo(30), "clinic-1", Sex.FEMALE, BIRTH_YEAR, null),
                MetaData.with(PatientEvent.RECORDED_BY, "injector"), someEvent, java.time.Instant.now());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> storageEngine.appendEvents(refused)).isNotNull();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_data_key WHERE key_id = ?", Long.class, q)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class, q)).isZero();

        // The same patient registered properly afterwards: its key is stored, and its birth year reads back.
        var registered = new GenericDomainEventMessage<>("Patient", q, 0, new PatientRegistered(PatientId.of(q),
                q + ":registration", daysAgo(30), "clinic-1", Sex.FEMALE, BIRTH_YEAR, null),
                MetaData.with(PatientEvent.RECORDED_BY, "injector"));
        storageEngine.appendEvents(registered);
        assertThat(jdbc.queryForObject("SELECT destroyed_at IS NULL FROM ledger_data_key WHERE key_id = ?", Boolean.class, q)).isTrue();
        byte[] payload = jdbc.queryForObject("SELECT payload FROM domainevententry WHERE aggregateidentifier = ?", byte[].class, q);
        assertThat(new String(payload, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(String.valueOf(BIRTH_YEAR));
        PatientRegistered read = (PatientRegistered) storageEngine.readEvents(q, 0).next().getPayload();
        assertThat(read.birthYear()).isEqualTo(BIRTH_YEAR);
    }

    /** Per entry: type, occurredAt, voided, and its clinical details (products, lots, units, sites, kinds, factors). */
    private List<String> clinicalFacts(String p) {
        List<String> facts = new ArrayList<>();
        for (JsonNode e : http.get("clinician", "/api/patients/" + p + "/history").json().get("entries")) {
            if (e.get("type").asText().equals("ERASURE")) continue;
            JsonNode d = e.get("details").deepCopy();
            for (String personal : List.of("note", "reason", "externalRef", "birthYear")) {
                if (d instanceof com.fasterxml.jackson.databind.node.ObjectNode o) o.remove(personal);
            }
            d.findParents("uri").forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("uri"));
            facts.add(e.get("type").asText() + " " + e.get("occurredAt").asText() + " " + e.path("voided").asText() + " " + d);
        }
        return facts;
    }

    /** Occurrences of {@code needle} in every column of every table of the database (bytea decoded as escaped text). */
    private long scan(String needle) {
        long found = 0;
        List<Map<String, Object>> columns = jdbc.queryForList("""
                SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                 WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
                   AND table_name IN (SELECT table_name FROM information_schema.tables
                                       WHERE table_type = 'BASE TABLE' AND table_schema = columns.table_schema)""");
        assertThat(columns).hasSizeGreaterThan(40);
        for (Map<String, Object> c : columns) {
            String column = "\"" + c.get("column_name") + "\"";
            String text = "bytea".equals(c.get("data_type")) ? "encode(" + column + ", 'escape')" : column + "::text";
            String table = "\"" + c.get("table_schema") + "\".\"" + c.get("table_name") + "\"";
            // A table can go between the listing and its scan (a rebuild's staging table is swapped in): gone, nothing left.
            if (jdbc.queryForObject("SELECT to_regclass(?) IS NULL", Boolean.class, table)) continue;
            Long n = jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE strpos(" + text + ", ?) > 0", Long.class, needle);
            found += n == null ? 0 : n;
        }
        return found;
    }

    /** Rows anywhere that name the patient's ciphertext envelope: the scan reaches the patient's data. */
    private long found(String p) {
        return scan("pd1:" + p + ":");
    }

    private void awaitSealed() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Long unsealed = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE globalindex > "
                    + "(SELECT coalesce(max(global_index), 0) FROM ledger_leaf)", Long.class);
            if (unsealed == 0) return;
            assertThat(System.nanoTime()).as("every event sealed within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
