package org.treatmentledger.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Every write endpoint of docs/http-api.md over real HTTP, with its success body and what it stores. */
class WriteEndpointsTest extends LedgerTestSupport {

    @Autowired
    MeterRegistry meters;

    /** Axon's command bus meter for one payload type (commandBus.processedCounter, tagged by payloadType). */
    private double commandsProcessed(String payloadType) {
        var counter = meters.find("commandBus.processedCounter").tag("payloadType", payloadType).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void registerAnswers201WithIdAndLocationAndStoresTheRecorder() {
        Http.Response r = http.post("injector", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}");

        assertThat(r.status()).isEqualTo(201);
        String id = r.text("patientId");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(r.header("Location")).endsWith("/api/patients/" + id);
        assertThat(eventCount(id)).isEqualTo(1);
        String metadata = new String(jdbc.queryForObject(
                "SELECT metadata FROM domainevententry WHERE aggregateidentifier = ?", byte[].class, id));
        assertThat(metadata).contains("\"recordedBy\":\"injector\"");
    }

    @Test
    void injectionAnswersEntryCycleAndAdvisories() {
        String patient = registerPatient(daysAgo(200));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections",
                injection(daysAgo(100), "LOT-W1", "[{\"site\":\"FOREHEAD\",\"units\":30}]"));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.text("entryId")).matches("[0-9a-f-]{36}");
        assertThat(r.json().get("cycle").asInt()).isEqualTo(1);
        JsonNode advisories = r.json().get("advisories");
        assertThat(advisories.findValuesAsText("code")).contains("DOSE_ABOVE_TYPICAL", "FOREHEAD_WITHOUT_GLABELLA");
        assertThat(advisories.get(0).get("detail").asText()).isNotBlank();
    }

    @Test
    void touchUpJoinsTheOpenCycle() {
        String patient = registerPatient(daysAgo(200));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(40)));

        Http.Response r = http.post("injector", "/api/patients/" + patient + "/touch-ups", """
                {"occurredAt":"%s","product":"ONABOTULINUMTOXIN_A","lot":{"number":"LOT-T1","expiresOn":"2099-01-01"},
                 "indication":"COSMETIC","sites":[{"site":"GLABELLA","units":4}]}""".formatted(daysAgo(25)));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.json().get("cycle").asInt()).isEqualTo(1);
        assertThat(r.json().has("advisories")).isTrue();
    }

    @Test
    void laserSessionAnswersEntryAndAdvisoriesWithoutCycle() {
        String patient = registerPatient(daysAgo(200));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/laser-sessions",
                laser(daysAgo(3), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.text("entryId")).isNotBlank();
        assertThat(r.json().has("cycle")).isFalse();
        assertThat(r.json().get("advisories").findValuesAsText("code")).contains("RETINOID_PAUSE");
    }

    @Test
    void photoCheckpointCycleFactorAndMovementReturnAnswerTheirEntryId() {
        String patient = registerPatient(daysAgo(200));
        Http.Response photo = http.post("injector", "/api/patients/" + patient + "/photo-checkpoints", """
                {"occurredAt":"%s","kind":"BASELINE","images":[{"view":"FRONT","sha256":"%s","uri":"s3://photos/1.jpg"}]}"""
                .formatted(daysAgo(150), "ab".repeat(32)));
        Http.Response factor = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"note\":\"exams\"}".formatted(daysAgo(20)));
        Http.Response movement = http.post("injector", "/api/patients/" + patient + "/movement-returns",
                "{\"occurredAt\":\"%s\",\"sites\":[\"GLABELLA\"]}".formatted(daysAgo(10)));

        for (Http.Response r : new Http.Response[]{photo, factor, movement}) {
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            assertThat(r.text("entryId")).matches("[0-9a-f-]{36}");
        }
        assertThat(eventCount(patient)).isEqualTo(4);
    }

    @Test
    void sideEffectIsReportedThenResolvedOnce() {
        String patient = registerPatient(daysAgo(200));
        Http.Response reported = http.post("injector", "/api/patients/" + patient + "/side-effects", """
                {"occurredAt":"%s","type":"BRUISING","severity":"MILD","zone":"FOREHEAD"}""".formatted(daysAgo(9)));
        assertThat(reported.status()).as(reported.raw()).isEqualTo(201);
        String sideEffectId = reported.text("sideEffectId");
        assertThat(sideEffectId).isNotBlank().isNotEqualTo(reported.text("entryId"));

        String path = "/api/patients/" + patient + "/side-effects/" + sideEffectId + "/resolution";
        Http.Response resolved = http.post("injector", path, "{\"occurredAt\":\"%s\"}".formatted(daysAgo(5)));
        assertThat(resolved.status()).as(resolved.raw()).isEqualTo(201);
        assertThat(resolved.text("entryId")).isNotBlank();

        Http.Response again = http.post("injector", path, "{\"occurredAt\":\"%s\"}".formatted(daysAgo(4)));
        assertProblem(again, 409);
        assertThat(again.text("code")).isEqualTo("SIDE_EFFECT_ALREADY_RESOLVED");
    }

    @Test
    void refusedLaserStoresNothingAndNamesTheEarliestDate() {
        String patient = registerPatient(daysAgo(200));
        Instant injectedAt = daysAgo(3);
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(injectedAt));
        long before = eventCount(patient);
        long allBefore = allEvents();

        Http.Response r = http.post("injector", "/api/patients/" + patient + "/laser-sessions",
                laser(daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));

        assertProblem(r, 409);
        assertThat(r.text("code")).isEqualTo("LASER_AFTER_TOXIN_LIGHT");
        assertThat(r.text("earliestAllowed")).isEqualTo(injectedAt.atZone(ZoneOffset.UTC).toLocalDate().plusDays(10).toString());
        assertThat(r.text("detail")).isNotBlank();
        assertThat(r.json().get("violations").findValuesAsText("code")).contains("LASER_AFTER_TOXIN_LIGHT");
        assertThat(eventCount(patient)).isEqualTo(before);
        assertThat(allEvents()).isEqualTo(allBefore);
    }

    @Test
    void clinicianOverrideRecordsTheOverrideAndTheTreatment() {
        String patient = registerPatient(daysAgo(200));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(3)));
        long before = eventCount(patient);

        Http.Response r = http.post("clinician", "/api/patients/" + patient + "/laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","zones":["CHEEKS"],"override":{"reason":"Leaves the country"}}"""
                .formatted(daysAgo(1)));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(eventCount(patient)).isEqualTo(before + 2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE '%RuleOverridden'",
                Long.class, patient)).isEqualTo(1);
    }

    @Test
    void amendReplacesAnEntryWithABodyShapedLikeTheOriginal() {
        String patient = registerPatient(daysAgo(200));
        String entry = http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(30))).text("entryId");
        double amends = commandsProcessed("AmendEntry");
        double describes = commandsProcessed("DescribeEntry");

        Http.Response r = http.post("clinician", "/api/patients/" + patient + "/corrections", """
                {"targetEntryId":"%s","action":"AMEND","reason":"Charted 20 U, gave 18 U",
                 "replacement":%s}""".formatted(entry, injection(daysAgo(30), "LOT-A1", "[{\"site\":\"GLABELLA\",\"units\":18}]")));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        // One command, so one load of the patient: the replacement's readings name their own types.
        assertThat(commandsProcessed("AmendEntry")).isEqualTo(amends + 1);
        assertThat(commandsProcessed("DescribeEntry")).isEqualTo(describes);
        assertThat(r.text("entryId")).isNotBlank().isNotEqualTo(entry);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ? AND payloadtype LIKE '%EntryAmended'",
                Long.class, patient)).isEqualTo(1);
    }

    @Test
    void amendWithAnInvalidReplacementIs400NamingTheNestedField() {
        String patient = registerPatient(daysAgo(200));
        String entry = http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(30))).text("entryId");
        long before = eventCount(patient);

        Http.Response r = http.post("clinician", "/api/patients/" + patient + "/corrections", """
                {"targetEntryId":"%s","action":"AMEND","reason":"typo",
                 "replacement":{"occurredAt":"%s","product":"NOT_A_PRODUCT"}}""".formatted(entry, daysAgo(30)));

        assertProblem(r, 400);
        assertThat(r.json().get("errors").findValuesAsText("field")).contains("replacement.product");
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void voidKeepsTheOriginalAndRecordsTheCorrection() {
        String patient = registerPatient(daysAgo(200));
        String entry = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"ILLNESS\"}".formatted(daysAgo(20))).text("entryId");

        Http.Response r = http.post("clinician", "/api/patients/" + patient + "/corrections",
                "{\"targetEntryId\":\"%s\",\"action\":\"VOID\",\"reason\":\"wrong patient\"}".formatted(entry));

        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(eventCount(patient)).isEqualTo(3);

        Http.Response unknown = http.post("clinician", "/api/patients/" + patient + "/corrections",
                "{\"targetEntryId\":\"no-such-entry\",\"action\":\"VOID\",\"reason\":\"x\"}");
        assertProblem(unknown, 404);
        assertThat(unknown.text("code")).isEqualTo("ENTRY_NOT_FOUND");
    }
}
