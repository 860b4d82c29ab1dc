package org.treatmentledger.api.clinics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tenancy matrix over every /api operation of the served OpenAPI document (a new operation must be placed in
 * one of the classes below or this fails): for each demo user, another clinic's patient answers exactly as an
 * unknown one (status and body, the id aside) and nothing is stored on it (no event, no idempotency record); the
 * own clinic's patient is never 404. Lot recall and analytics never count another clinic's rows, in both
 * directions (a leak "answers correctly for the tenant that owns the data").
 */
class TenancyMatrixTest extends LedgerTestSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** User -> clinic of the demo users. */
    private static final Map<String, String> USERS = new LinkedHashMap<>();
    static {
        USERS.put("injector", "clinic-1");
        USERS.put("clinician", "clinic-1");
        USERS.put("auditor", "clinic-1");
        USERS.put("analyst", "clinic-1");
        USERS.put("clinician2", "clinic-2");
        USERS.put("auditor2", "clinic-2");
    }

    /**
     * Operations over several patients, each tested for the caller's clinics only: below, the FHIR bulk export
     * in FhirEndpointsTest (another clinic's patient is not in its files; another user's job is unknown), the access
     * log's record proofs in AccessLogIntegrityTest and its FHIR AuditEvents in AuditEventFhirTest.
     */
    private static final Set<String> CROSS_PATIENT = Set.of("GET /api/lots/{lotNumber}/patients",
            "GET /api/analytics/durability", "GET /api/audit/access", "GET /api/audit/access/proofs/inclusion",
            "GET /api/audit/access/fhir", "GET /api/fhir/$export",
            "GET /api/fhir/export-jobs/{jobId}", "DELETE /api/fhir/export-jobs/{jobId}",
            "GET /api/fhir/export-jobs/{jobId}/files/{type}.ndjson");
    /** Operations with no patient-level answer (store-wide tree heads and proofs, read-model processors). */
    private static final Set<String> NO_PATIENT_DATA = Set.of("GET /api/ledger/checkpoint",
            "GET /api/audit/access/checkpoint", "GET /api/audit/access/proofs/consistency",
            "GET /api/ledger/proofs/consistency", "POST /api/admin/ledger/verify", "GET /api/admin/rebuilds",
            "GET /api/admin/rebuilds/{group}", "POST /api/admin/rebuilds/{group}");
    private static final String REGISTRATION = "POST /api/patients";

    /** Bodies the own clinic's patient would accept, so "nothing stored" means the clinic check stopped them. */
    private static final Map<String, String> VALID_BODIES = Map.of(
            "/api/patients/{patientId}/cycle-factors",
            "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1)),
            "/api/patients/{patientId}/movement-returns", "{\"occurredAt\":\"%s\"}".formatted(daysAgo(1)),
            "/api/patients/{patientId}/side-effects",
            "{\"occurredAt\":\"%s\",\"type\":\"BRUISING\",\"severity\":\"MILD\",\"zone\":\"FOREHEAD\"}".formatted(daysAgo(1)),
            "/api/patients/{patientId}/injections", glabella20(daysAgo(2)),
            "/api/patients/{patientId}/erasure", "{\"reason\":\"tenancy matrix\"}",
            "/api/patients/{patientId}/photo-checkpoints",
            "{\"occurredAt\":\"%s\",\"kind\":\"BASELINE\",\"images\":[{\"view\":\"FRONT\",\"sha256\":\"%s\"}]}"
                    .formatted(daysAgo(1), "a".repeat(64)));

    record Operation(String method, String path) {
        @Override
        public String toString() { return method + " " + path; }
    }

    private List<Operation> operations() {
        JsonNode doc = http.get(null, "/v3/api-docs").json();
        List<Operation> operations = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (path.getKey().startsWith("/api/") && Set.of("get", "post", "put", "patch", "delete").contains(method)) {
                operations.add(new Operation(method.toUpperCase(), path.getKey()));
            }
        }));
        return operations;
    }

    @Test
    void everyOperationIsPlaced() {
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(15);
        for (Operation op : operations) {
            boolean placed = op.path().contains("{patientId}") || op.toString().equals(REGISTRATION)
                    || CROSS_PATIENT.contains(op.toString()) || NO_PATIENT_DATA.contains(op.toString());
            assertThat(placed).as("%s: place it in the tenancy matrix", op).isTrue();
        }
    }

    @Test
    void anotherClinicsPatientAnswersAsAnUnknownOneAndNothingIsStored() {
        String p1 = registerPatient(daysAgo(100));
        String p2 = register("clinician2", "clinic-2");
        List<Operation> patientOps = operations().stream().filter(op -> op.path().contains("{patientId}")).toList();
        assertThat(patientOps).hasSizeGreaterThan(10);

        long events1 = eventCount(p1), events2 = eventCount(p2), keys = idempotencyKeys();
        for (Operation op : patientOps) {
            for (Map.Entry<String, String> user : USERS.entrySet()) {
                String other = user.getValue().equals("clinic-1") ? p2 : p1;
                String unknown = UUID.randomUUID().toString();
                Http.Response toOther = call(user.getKey(), op, other);
                Http.Response toUnknown = call(user.getKey(), op, unknown);
                String what = op + " as " + user.getKey();
                assertThat(toOther.status()).as(what + ": " + toOther.raw()).isEqualTo(toUnknown.status());
                assertThat(toOther.status()).as(what).isIn(403, 404);
                assertThat(toOther.contentType()).as(what).isEqualTo(toUnknown.contentType());
                assertThat(normalized(toOther.raw(), other)).as(what).isEqualTo(normalized(toUnknown.raw(), unknown));
                if (toOther.status() == 404) assertThat(toOther.text("code")).as(what).isEqualTo("PATIENT_NOT_FOUND");
            }
        }
        assertThat(eventCount(p1)).as("nothing recorded on clinic-1's patient").isEqualTo(events1);
        assertThat(eventCount(p2)).as("nothing recorded on clinic-2's patient").isEqualTo(events2);
        assertThat(idempotencyKeys()).as("no idempotency record").isEqualTo(keys);

        // The own clinic's patient is found (whatever else the request answers).
        for (Operation op : patientOps) {
            for (Map.Entry<String, String> user : USERS.entrySet()) {
                String own = user.getValue().equals("clinic-1") ? p1 : p2;
                Http.Response r = call(user.getKey(), op, own);
                assertThat(r.raw()).as(op + " as " + user.getKey()).doesNotContain("PATIENT_NOT_FOUND");
            }
        }
    }

    @Test
    void registeringIntoAnotherClinicIsForbiddenAndStoresNothing() {
        long before = allEvents();
        for (String user : List.of("injector", "clinician")) {
            assertProblem(http.post(user, "/api/patients", "{\"clinicId\":\"clinic-2\",\"sex\":\"FEMALE\"}",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString())), 403);
        }
        assertProblem(http.post("clinician2", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\"}"), 403);
        assertThat(allEvents()).isEqualTo(before);
        assertThat(http.post("clinician2", "/api/patients", "{\"clinicId\":\"clinic-2\",\"sex\":\"FEMALE\"}").status())
                .isEqualTo(201);
    }

    @Test
    void lotRecallListsOnlyTheCallersClinics() {
        String lot = "LOT-T-" + UUID.randomUUID().toString().substring(0, 8);
        String p1 = registerPatient(daysAgo(100));
        String p2 = register("clinician2", "clinic-2");
        inject("injector", p1, lot, daysAgo(5));
        inject("clinician2", p2, lot, daysAgo(5));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(lotPatients("clinician", lot)).containsExactly(p1);
            assertThat(lotPatients("auditor", lot)).containsExactly(p1);
            assertThat(lotPatients("clinician2", lot)).containsExactly(p2);
            assertThat(lotPatients("auditor2", lot)).containsExactly(p2);
        });
    }

    @Test
    void analyticsCountOnlyTheCallersClinics() {
        // A product and site no other test gives, in clinic-2 only; the same at another site in clinic-1 (the
        // analyst's clinic) shows the analyst sees rows at all.
        String p1 = registerPatient(daysAgo(300));
        String p2 = register("clinician2", "clinic-2");
        twoCycles("injector", p1, "MASSETER_LEFT");
        twoCycles("clinician2", p2, "MASSETER_RIGHT");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Long rows = jdbc.queryForObject("SELECT count(*) FROM durability_cycle WHERE patient_id IN (?, ?)",
                    Long.class, p1, p2);
            assertThat(rows).isEqualTo(2);
        });
        JsonNode groups = http.get("analyst", "/api/analytics/durability?groupBy=product,site").json().get("groups");
        List<String> daxiSites = new ArrayList<>();
        groups.forEach(g -> {
            if (g.path("product").asText().equals("DAXIBOTULINUMTOXIN_A")) daxiSites.add(g.path("site").asText());
        });
        assertThat(daxiSites).contains("MASSETER_LEFT").doesNotContain("MASSETER_RIGHT");
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Http.Response call(String user, Operation op, String patientId) {
        String path = op.path().replace("{patientId}", patientId).replace("{sideEffectId}", "se-unknown");
        String body = op.method().equals("POST") ? VALID_BODIES.getOrDefault(op.path(), "{}") : null;
        Map<String, String> headers = op.method().equals("POST")
                ? Map.of("Idempotency-Key", UUID.randomUUID().toString()) : Map.of();
        return http.send(user, op.method(), path, body, headers);
    }

    private static String normalized(String raw, String id) {
        return raw == null ? "" : raw.replace(id, "<id>");
    }

    private long idempotencyKeys() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM idempotency_key", Long.class);
        return n == null ? 0 : n;
    }

    private String register(String user, String clinic) {
        Http.Response r = http.post(user, "/api/patients", "{\"clinicId\":\"%s\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}"
                .formatted(clinic, daysAgo(300)));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    private void inject(String user, String patient, String lot, Instant at) {
        Http.Response r = http.post(user, "/api/patients/" + patient + "/injections",
                injection(at, lot, "[{\"site\":\"GLABELLA\",\"units\":20}]"));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    private void twoCycles(String user, String patient, String site) {
        for (int daysAgo : new int[]{250, 100}) {
            Http.Response r = http.post(user, "/api/patients/" + patient + "/injections", """
                    {"occurredAt":"%s","product":"DAXIBOTULINUMTOXIN_A","lot":{"number":"LOT-D","expiresOn":"%s"},
                     "intent":"FULL","indication":"COSMETIC","sites":[{"site":"%s","units":20}]}"""
                    .formatted(daysAgo(daysAgo), Instant.now().plus(Duration.ofDays(400)).toString().substring(0, 10), site));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
    }

    private List<String> lotPatients(String user, String lot) {
        Http.Response r = http.get(user, "/api/lots/" + lot + "/patients");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<String> patients = new ArrayList<>();
        r.json().get("administrations").forEach(a -> patients.add(a.get("patientId").asText()));
        return patients;
    }
}
