package org.treatmentledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.net.URI;
import org.axonframework.config.EventProcessingConfiguration;
import org.treatmentledger.projections.ReadModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read endpoints over the query bus; projections are eventually consistent, so assertions wait. */
class ReadEndpointsTest extends LedgerTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    EventProcessingConfiguration processing;

    @Test
    void theLocationOfARegistrationAnswersWithItsDetails() {
        Http.Response created = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"OTHER\",\"birthYear\":1980,\"externalRef\":\"EXT-7\","
                        + "\"registeredAt\":\"2026-01-02T03:04:05Z\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String location = URI.create(created.header("Location")).getPath();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response patient = http.get("auditor", location);
            assertThat(patient.status()).as(patient.raw()).isEqualTo(200);
            assertThat(patient.text("patientId")).isEqualTo(created.text("patientId"));
            assertThat(patient.text("registeredAt")).isEqualTo("2026-01-02T03:04:05Z");
            assertThat(patient.text("recordedBy")).isEqualTo("injector");
            JsonNode details = patient.json().get("details");
            assertThat(details.get("clinicId").asText()).isEqualTo("clinic-1");
            assertThat(details.get("sex").asText()).isEqualTo("OTHER");
            assertThat(details.get("birthYear").asInt()).isEqualTo(1980);
            assertThat(details.get("externalRef").asText()).isEqualTo("EXT-7");
        });
        Http.Response unknown = http.get("auditor", "/api/patients/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.raw()).contains("PATIENT_NOT_FOUND");
        assertThat(http.get("analyst", location).status()).as("patient data is not for analysts").isEqualTo(403);
    }

    @Test
    void theLocationAnswersAtOnceAfterTheRegistration_readYourWrites() {
        for (int i = 0; i < 10; i++) {
            Http.Response created = http.post("injector", "/api/patients",
                    "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"birthYear\":1990,\"registeredAt\":\"2026-01-02T03:04:05Z\"}");
            assertThat(created.status()).as(created.raw()).isEqualTo(201);
            // No waiting here: the read waits for the read models itself, a registered patient is never 404.
            Http.Response patient = http.get("auditor", URI.create(created.header("Location")).getPath());
            assertThat(patient.status()).as(patient.raw()).isEqualTo(200);
            assertThat(patient.text("patientId")).isEqualTo(created.text("patientId"));
        }
    }

    @Test
    void aRecordedPatientTheReadModelsDoNotShowYetIs503ReadModelBehindNot404() {
        var processor = processing.eventProcessor(ReadModels.PROCESSOR).orElseThrow();
        processor.shutDown();
        String patient;
        try {
            patient = registerPatient(daysAgo(30));
            for (String read : new String[] {"", "/schedule", "/units", "/intervals", "/history"}) {
                Http.Response r = http.get("auditor", "/api/patients/" + patient + read);
                assertThat(r.status()).as(read + ": " + r.raw()).isEqualTo(503);
                assertThat(r.contentType()).contains("application/problem+json");
                assertThat(r.text("code")).isEqualTo("READ_MODEL_BEHIND");
                assertThat(r.header("Retry-After")).isEqualTo("1");
            }
            Http.Response unknown = http.get("auditor", "/api/patients/" + UUID.randomUUID() + "/schedule");
            assertThat(unknown.status()).as("unknown to the event store: still 404").isEqualTo(404);
        } finally {
            processor.start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(http.get("auditor", "/api/patients/" + patient).status()).isEqualTo(200));
    }


    @Test
    void patientReadModelsAnswerAfterAWrite() {
        String patient = registerPatient(daysAgo(300));
        String lot = "LOT-R-" + UUID.randomUUID().toString().substring(0, 6);
        Instant injected = daysAgo(200);
        String entry = http.post("injector", "/api/patients/" + patient + "/injections",
                injection(injected, lot, "[{\"site\":\"GLABELLA\",\"units\":20}]")).text("entryId");
        Instant between = RecordedAtClock.cutOff();
        http.post("injector", "/api/patients/" + patient + "/injections",
                injection(daysAgo(100), lot, "[{\"site\":\"GLABELLA\",\"units\":18}]"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response history = http.get("auditor", "/api/patients/" + patient + "/history");
            assertThat(history.status()).as(history.raw()).isEqualTo(200);
            assertThat(history.raw()).contains(entry);
            assertThat(history.json().get("entries").size()).isGreaterThanOrEqualTo(3);
        });
        Http.Response asOf = http.get("auditor", "/api/patients/" + patient + "/history?asOf=" + between);
        assertThat(asOf.status()).isEqualTo(200);
        assertThat(asOf.json().get("entries").size()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response schedule = http.get("injector", "/api/patients/" + patient + "/schedule");
            assertThat(schedule.status()).as(schedule.raw()).isEqualTo(200);
            assertThat(schedule.json().get("items").findValuesAsText("kind")).contains("NEXT_NEUROMODULATOR");
            Http.Response units = http.get("clinician", "/api/patients/" + patient + "/units");
            assertThat(units.status()).isEqualTo(200);
            assertThat(units.json().has("lifetime")).isTrue();
            Http.Response intervals = http.get("auditor", "/api/patients/" + patient + "/intervals");
            assertThat(intervals.status()).isEqualTo(200);
            assertThat(intervals.json().get("intervals").size()).isEqualTo(1);
            Http.Response recall = http.get("clinician", "/api/lots/" + lot + "/patients");
            assertThat(recall.status()).isEqualTo(200);
            assertThat(recall.json().get("administrations").size()).isEqualTo(2);
        });
        Http.Response durability = http.get("analyst", "/api/analytics/durability?groupBy=product,site");
        assertThat(durability.status()).as(durability.raw()).isEqualTo(200);
        assertThat(durability.json().has("groups")).isTrue();
    }

    @Test
    void unknownPatientIs404OnEveryPatientRead() {
        String unknown = UUID.randomUUID().toString();
        for (String path : new String[]{"/schedule", "/units", "/intervals", "/history"}) {
            Http.Response r = http.get("auditor", "/api/patients/" + unknown + path);
            assertProblem(r, 404);
        }
    }

    @Test
    void unknownGroupByIs400() {
        Http.Response r = http.get("analyst", "/api/analytics/durability?groupBy=product,colour");
        assertProblem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("groupBy");
    }
}
