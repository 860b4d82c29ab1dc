package org.treatmentledger.api.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.time.Duration;
import java.time.Instant;
import java.time.Year;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /api/patients/{id}/fhir and the bulk export over HTTP: every bundle passes HAPI's validator with no error, the
 * units round-trip to the unit history, and every response keeps the served OpenAPI document (Http checks it).
 */
class FhirEndpointsTest extends LedgerTestSupport {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    /**
     * The source article's sample plan: a 38-year-old with light toxin in the glabella, a conservative forehead and small
     * crow's feet doses, a review at two weeks with a small touch-up, a non-ablative fractional laser a few days later
     * (eyes and lips, light), a second fractional session four to six weeks on, photos at each checkpoint.
     */
    @Test
    void theSamplePlanPatientIsValidFhir() {
        // At 10:00 UTC: run between 23:00 and 24:00 UTC, the touch-up an hour after the review fell on the next day,
        // and the laser three days after the review came a day too early for the touch-up rule (409).
        Instant start = daysAgo(130).truncatedTo(ChronoUnit.DAYS).plus(10, ChronoUnit.HOURS);
        String p = register(start.minus(1, ChronoUnit.DAYS), Year.now().getValue() - 38);
        post("injector", p, "photo-checkpoints", photo(start.minus(1, ChronoUnit.HOURS), "BASELINE", "1"));
        post("injector", p, "injections", """
                {"occurredAt":"%s","product":"ONABOTULINUMTOXIN_A","lot":{"number":"C5001","expiresOn":"%s"},
                 "intent":"LIGHT","indication":"COSMETIC","dilutionMlPer100U":2.5,
                 "sites":[{"site":"GLABELLA","units":12},{"site":"FOREHEAD","units":8},
                          {"site":"CROWS_FEET_LEFT","units":6},{"site":"CROWS_FEET_RIGHT","units":6}]}"""
                .formatted(start, expiry()));
        Instant review = start.plus(14, ChronoUnit.DAYS);
        post("injector", p, "photo-checkpoints", photo(review, "POST_INJECTION_REVIEW", "2"));
        Instant touchUp = review.plus(1, ChronoUnit.HOURS);
        post("injector", p, "touch-ups", """
                {"occurredAt":"%s","product":"ONABOTULINUMTOXIN_A","lot":{"number":"C5001","expiresOn":"%s"},
                 "indication":"COSMETIC","sites":[{"site":"FOREHEAD","units":2}]}"""
                .formatted(touchUp, expiry()));
        // Three days after the touch-up itself: the rule counts calendar days, and a test run between 23:00 and
        // 24:00 UTC put the touch-up on the next day, so review + 3 days was refused (LASER_AFTER_TOUCH_UP).
        Instant laser = touchUp.plus(3, ChronoUnit.DAYS);
        post("injector", p, "laser-sessions", """
                {"occurredAt":"%s","deviceClass":"NON_ABLATIVE_FRACTIONAL","deviceModel":"Fraxel Dual",
                 "zones":["PERIOCULAR","PERIORAL"],"passes":4,"densityPercent":14,"energyMj":10,"wavelengthNm":1550,
                 "seriesId":"fraxel-1","seriesPlannedSessions":2}""".formatted(laser));
        post("injector", p, "photo-checkpoints", photo(laser.plus(7, ChronoUnit.DAYS), "POST_LASER", "3"));
        post("injector", p, "laser-sessions", """
                {"occurredAt":"%s","deviceClass":"NON_ABLATIVE_FRACTIONAL","deviceModel":"Fraxel Dual",
                 "zones":["PERIORAL"],"passes":3,"densityPercent":11,"energyMj":8,"wavelengthNm":1550,
                 "seriesId":"fraxel-1","seriesPlannedSessions":2}""".formatted(laser.plus(35, ChronoUnit.DAYS)));
        post("injector", p, "movement-returns", """
                {"occurredAt":"%s","sites":["GLABELLA","FOREHEAD"]}""".formatted(start.plus(120, ChronoUnit.DAYS)));

        Bundle bundle = validBundle(p);
        assertThat(resources(bundle, Patient.class)).singleElement().satisfies(patient -> {
            assertThat(patient.getIdPart()).isEqualTo(p);
            assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo(String.valueOf(Year.now().getValue() - 38));
            assertThat(patient.hasName()).isFalse();
        });
        assertThat(resources(bundle, MedicationAdministration.class)).hasSize(5);
        assertThat(resources(bundle, Procedure.class)).hasSize(4); // two visits, two laser sessions
        assertThat(FhirUnits.administered(bundle)).isEqualTo(FhirUnits.lifetime(units(p)));
    }

    @Test
    void everyEntryTypeWithCorrectionsAndOverridesIsValidAndItsUnitsRoundTrip() {
        Instant start = daysAgo(200);
        String p = register(start.minus(1, ChronoUnit.DAYS), 1980);
        String injection = post("injector", p, "injections", injectionBody(start, "ONABOTULINUMTOXIN_A",
                "[{\"site\":\"GLABELLA\",\"units\":20},{\"site\":\"FOREHEAD\",\"units\":10}]"));
        // amended: forehead 12
        post("clinician", p, "corrections", """
                {"targetEntryId":"%s","action":"AMEND","reason":"Forehead charted as 10, was 12","replacement":%s}"""
                .formatted(injection, injectionBody(start, "ONABOTULINUMTOXIN_A",
                        "[{\"site\":\"GLABELLA\",\"units\":20},{\"site\":\"FOREHEAD\",\"units\":12}]")));
        Http.Response se = http.post("injector", "/api/patients/" + p + "/side-effects", """
                {"occurredAt":"%s","type":"BRUISING","severity":"MILD","zone":"FOREHEAD","relatedEntryId":"%s"}"""
                .formatted(start.plus(1, ChronoUnit.DAYS), injection));
        assertThat(se.status()).as(se.raw()).isEqualTo(201);
        post("injector", p, "side-effects/" + se.text("sideEffectId") + "/resolution",
                "{\"occurredAt\":\"%s\"}".formatted(start.plus(5, ChronoUnit.DAYS)));
        String touchUp = post("injector", p, "touch-ups", """
                {"occurredAt":"%s","product":"ONABOTULINUMTOXIN_A","lot":{"number":"T1","expiresOn":"%s"},
                 "indication":"COSMETIC","sites":[{"site":"GLABELLA","units":4}]}"""
                .formatted(start.plus(15, ChronoUnit.DAYS), expiry()));
        post("clinician", p, "corrections", """
                {"targetEntryId":"%s","action":"VOID","reason":"Charted on the wrong patient"}""".formatted(touchUp));
        // a BBL 5 days after the injection breaks LASER_AFTER_TOXIN_LIGHT: recorded under a clinician's override
        post("clinician", p, "laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","deviceModel":"BBL Hero","zones":["CHEEKS"],
                 "fluenceJPerCm2":12,"override":{"reason":"Travels abroad"}}""".formatted(start.plus(5, ChronoUnit.DAYS)));
        post("injector", p, "photo-checkpoints", photo(start.plus(16, ChronoUnit.DAYS), "POST_INJECTION_REVIEW", "4"));
        post("injector", p, "cycle-factors", """
                {"occurredAt":"%s","factor":"STRESS","note":"exams"}""".formatted(start.plus(40, ChronoUnit.DAYS)));
        post("injector", p, "movement-returns", """
                {"occurredAt":"%s","sites":["GLABELLA"]}""".formatted(start.plus(90, ChronoUnit.DAYS)));
        post("injector", p, "injections", injectionBody(start.plus(100, ChronoUnit.DAYS), "ABOBOTULINUMTOXIN_A",
                "[{\"site\":\"GLABELLA\",\"units\":50},{\"site\":\"MASSETER_LEFT\",\"units\":60}]"));

        Bundle bundle = validBundle(p);
        List<MedicationAdministration> mas = resources(bundle, MedicationAdministration.class);
        assertThat(mas).hasSize(5);
        assertThat(mas).filteredOn(m -> m.getStatus() == MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR)
                .hasSize(1);
        Map<String, java.math.BigDecimal> administered = FhirUnits.administered(bundle);
        assertThat(administered).isEqualTo(FhirUnits.lifetime(units(p)))
                .containsEntry("ONABOTULINUMTOXIN_A/FOREHEAD", new java.math.BigDecimal("12"))
                .containsEntry("ONABOTULINUMTOXIN_A/GLABELLA", new java.math.BigDecimal("20"))
                .containsEntry("ABOBOTULINUMTOXIN_A/GLABELLA", new java.math.BigDecimal("50"));
        List<Provenance> provenances = resources(bundle, Provenance.class);
        assertThat(provenances).filteredOn(pr -> pr.hasExtension(FhirCodes.EXT_OVERRIDE)).singleElement()
                .satisfies(pr -> assertThat(((org.hl7.fhir.r4.model.Coding) pr
                .getExtensionByUrl(FhirCodes.EXT_OVERRIDE).getExtensionByUrl("rule").getValue()).getCode())
                .isEqualTo("LASER_AFTER_TOXIN_LIGHT"));
        assertThat(provenances).anySatisfy(pr -> assertThat(pr.getActivity().getCodingFirstRep().getCode()).isEqualTo("NULLIFY"));
        assertThat(provenances).anySatisfy(pr -> assertThat(pr.getActivity().getCodingFirstRep().getCode()).isEqualTo("UPDATE"));
        assertThat(provenances).allSatisfy(pr -> assertThat(pr.getRecorded()).isNotNull());
    }

    @Test
    void theIntegritySealAppearsOnceTheEntryIsInACheckpoint() {
        String p = register(daysAgo(10), 1990);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Bundle bundle = parse(http.get("auditor", "/api/patients/" + p + "/fhir"));
            Provenance registration = resources(bundle, Provenance.class).get(0);
            assertThat(registration.getExtensionByUrl(FhirCodes.EXT_SEAL)).isNotNull();
        });
    }

    @Test
    void errorsAreProblems() {
        Http.Response unknown = http.get("clinician", "/api/patients/" + java.util.UUID.randomUUID() + "/fhir");
        assertProblem(unknown, 404);
        assertThat(unknown.text("code")).isEqualTo("PATIENT_NOT_FOUND");
        // a FHIR client's Accept still gets the problem
        assertProblem(http.send("clinician", "GET", "/api/patients/" + java.util.UUID.randomUUID() + "/fhir", null,
                Map.of("Accept", "application/fhir+json")), 404);
        String p = register(daysAgo(5), null);
        assertProblem(http.get("injector", "/api/patients/" + p + "/fhir"), 403);
        assertProblem(http.get("analyst", "/api/patients/" + p + "/fhir"), 403);
        assertProblem(http.get(null, "/api/patients/" + p + "/fhir"), 401);
        Http.Response html = http.send("clinician", "GET", "/api/patients/" + p + "/fhir", null, Map.of("Accept", "text/html"));
        assertProblem(html, 406);
        Http.Response json = http.send("auditor", "GET", "/api/patients/" + p + "/fhir", null, Map.of("Accept", "application/json"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/fhir+json");
    }

    @Test
    void theBulkExportWritesTheCallersClinicsAsNdjson() throws Exception {
        String mine = register(daysAgo(20), 1975);
        post("injector", mine, "injections", injectionBody(daysAgo(19), "INCOBOTULINUMTOXIN_A",
                "[{\"site\":\"GLABELLA\",\"units\":20}]"));
        String other = registerIn("clinician2", "clinic-2", daysAgo(20)); // another clinic's patient
        // free text UTF-8 cannot encode (the fuzz test writes such): the job goes on
        String odd = register(daysAgo(20), 1970);
        post("injector", odd, "laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","deviceModel":"BBL \\ud800","zones":["CHEEKS"]}"""
                .formatted(daysAgo(19)));

        Http.Response kickOff = http.send("clinician", "GET", "/api/fhir/$export", null,
                Map.of("Accept", "application/fhir+json", "Prefer", "respond-async"));
        assertThat(kickOff.status()).as(kickOff.raw()).isEqualTo(202);
        String location = kickOff.header("Content-Location");
        assertThat(location).contains("/api/fhir/export-jobs/");
        String statusPath = location.substring(location.indexOf("/api/"));

        assertProblem(http.get("auditor", statusPath), 404); // another user's job
        Http.Response done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("clinician", statusPath), r -> r.status() != 202);
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
        JsonNode manifest = done.json();
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        Set<String> patients = new HashSet<>();
        int resources = 0;
        for (JsonNode output : manifest.get("output")) {
            String url = output.get("url").asText();
            Http.Response file = http.get("clinician", url.substring(url.indexOf("/api/")));
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.contentType()).startsWith("application/fhir+ndjson");
            String[] lines = file.raw().split("\n");
            assertThat(lines).hasSize(output.get("count").asInt());
            for (String line : lines) {
                Resource resource = (Resource) FhirValidation.context().newJsonParser().parseResource(line);
                assertThat(resource.fhirType()).isEqualTo(output.get("type").asText());
                if (resource instanceof Patient patient) patients.add(patient.getIdPart());
                resources++;
            }
        }
        assertThat(patients).contains(mine).doesNotContain(other);
        assertThat(manifest.get("extension").get("resources").asLong()).isEqualTo(resources);
        // the exported resources of one patient are its bundle's
        assertThat(resources).isGreaterThanOrEqualTo(parse(http.get("clinician", "/api/patients/" + mine + "/fhir")).getEntry().size());

        assertThat(http.send("clinician", "DELETE", statusPath, null, Map.of()).status()).isEqualTo(202);
        assertProblem(http.get("clinician", statusPath), 404);
    }

    @Test
    void theBulkExportRefusesWhatItDoesNotDo() {
        assertProblem(http.get("clinician", "/api/fhir/$export?_since=2026-01-01T00:00:00Z"), 400);
        Http.Response type = http.get("clinician", "/api/fhir/$export?_type=Encounter");
        assertProblem(type, 400);
        assertThat(type.json().get("errors").findValuesAsText("field")).contains("_type");
        assertProblem(http.get("clinician", "/api/fhir/$export?_outputFormat=text/csv"), 400);
        assertProblem(http.get("analyst", "/api/fhir/$export"), 403);
        assertProblem(http.get("injector", "/api/fhir/$export"), 403);
        assertProblem(http.get("clinician", "/api/fhir/export-jobs/" + java.util.UUID.randomUUID()), 404);
        assertProblem(http.send("clinician", "DELETE", "/api/fhir/export-jobs/nope", null, Map.of()), 404);
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private Bundle validBundle(String patientId) {
        Http.Response r = http.get("clinician", "/api/patients/" + patientId + "/fhir");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/fhir+json");
        var result = FhirValidation.validate(r.raw());
        assertThat(FhirValidation.errors(result)).as("validation errors of patient " + patientId).isEmpty();
        assertThat(FhirValidation.networkAttempts()).isEmpty();
        return parse(r);
    }

    private static Bundle parse(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return FhirValidation.context().newJsonParser().parseResource(Bundle.class, r.raw());
    }

    private UnitHistoryView units(String patientId) {
        Http.Response r = http.get("clinician", "/api/patients/" + patientId + "/units");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        try {
            return JSON.readValue(r.raw(), UnitHistoryView.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            if (type.isInstance(e.getResource())) out.add(type.cast(e.getResource()));
        }
        return out;
    }

    private String register(Instant at, Integer birthYear) {
        Http.Response r = http.post("injector", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\","
                + (birthYear == null ? "" : "\"birthYear\":" + birthYear + ",") + "\"registeredAt\":\"" + at + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    private String registerIn(String user, String clinic, Instant at) {
        Http.Response r = http.post(user, "/api/patients",
                "{\"clinicId\":\"" + clinic + "\",\"sex\":\"MALE\",\"registeredAt\":\"" + at + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    private String post(String user, String patient, String path, String body) {
        Http.Response r = http.post(user, "/api/patients/" + patient + "/" + path, body);
        assertThat(r.status()).as(path + ": " + r.raw()).isEqualTo(201);
        return r.text("entryId");
    }

    private static String expiry() {
        return Instant.now().plus(400, ChronoUnit.DAYS).toString().substring(0, 10);
    }

    private static String injectionBody(Instant at, String product, String sites) {
        return """
                {"occurredAt":"%s","product":"%s","lot":{"number":"L-%s","expiresOn":"%s"},"intent":"LIGHT",
                 "indication":"COSMETIC","sites":%s,"dilutionMlPer100U":2.5}""".formatted(at, product, product.substring(0, 3), expiry(), sites);
    }

    private static String photo(Instant at, String kind, String digit) {
        return """
                {"occurredAt":"%s","kind":"%s","images":[{"view":"FRONT","sha256":"%s","uri":"s3://photos/%s.jpg"}]}"""
                .formatted(at, kind, digit.repeat(64), digit);
    }
}
