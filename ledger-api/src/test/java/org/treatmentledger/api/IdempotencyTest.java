package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyTest extends LedgerTestSupport {

    @Test
    void sameKeySameBodyReturnsTheFirstResponseAndRecordsNothingNew() {
        String patient = registerPatient(daysAgo(100));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String body = glabella20(daysAgo(5));

        Http.Response first = http.post("injector", "/api/patients/" + patient + "/injections", body, key);
        long after = eventCount(patient);
        Http.Response second = http.post("injector", "/api/patients/" + patient + "/injections", body, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(eventCount(patient)).isEqualTo(after);
    }

    @Test
    void registrationReplayKeepsTheLocation() {
        Map<String, String> key = Map.of("Idempotency-Key", "reg-" + UUID.randomUUID());
        String body = "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\"}";
        Http.Response first = http.post("injector", "/api/patients", body, key);
        Http.Response second = http.post("injector", "/api/patients", body, key);
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.text("patientId")).isEqualTo(first.text("patientId"));
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(eventCount(first.text("patientId"))).isEqualTo(1);
    }

    @Test
    void sameKeyDifferentBodyIs422() {
        String patient = registerPatient(daysAgo(100));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(2)), key);
        long after = eventCount(patient);

        Http.Response r = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"ILLNESS\"}".formatted(daysAgo(2)), key);

        assertProblem(r, 422);
        assertThat(r.text("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(eventCount(patient)).isEqualTo(after);
    }

    @Test
    void refusalsAreReplayedToo() {
        String patient = registerPatient(daysAgo(100));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(3)));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String body = laser(daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]");
        Http.Response first = http.post("injector", "/api/patients/" + patient + "/laser-sessions", body, key);
        Http.Response second = http.post("injector", "/api/patients/" + patient + "/laser-sessions", body, key);
        assertProblem(first, 409);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.raw()).isEqualTo(first.raw());
        assertThat(second.contentType()).startsWith("application/problem+json");
    }

    @Test
    void concurrentDuplicatesRecordOnce() throws Exception {
        String patient = registerPatient(daysAgo(100));
        Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
        String body = "{\"occurredAt\":\"%s\",\"factor\":\"INTENSE_TRAINING\"}".formatted(daysAgo(2));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Http.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> http.post("injector", "/api/patients/" + patient + "/cycle-factors", body, key));
            }
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> f : pool.invokeAll(calls)) responses.add(f.get());

            assertThat(responses).allSatisfy(r -> assertThat(r.status()).isIn(201, 409));
            assertThat(responses.stream().filter(r -> r.status() == 201).map(r -> r.text("entryId")).distinct()).hasSize(1);
            assertThat(eventCount(patient)).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keysAreScopedToTheUser() {
        String key = "shared-" + UUID.randomUUID();
        Http.Response a = http.post("injector", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}", Map.of("Idempotency-Key", key));
        Http.Response b = http.post("clinician", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}", Map.of("Idempotency-Key", key));
        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.text("patientId")).isNotEqualTo(a.text("patientId"));
    }
}
