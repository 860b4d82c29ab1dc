package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error status of CONTRACT.md as application/problem+json, and nothing stored for any of them. */
class ErrorResponsesTest extends LedgerTestSupport {

    @Test
    void malformedJsonIs400() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/cycle-factors", "{\"occurredAt\": ");
        assertProblem(r, 400);
        assertThat(r.json().get("errors")).isNotEmpty();
    }

    @Test
    void wrongTypeIs400NamingTheField() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections",
                glabella20(daysAgo(5)).replace("[{\"site\":\"GLABELLA\",\"units\":20}]", "{\"site\":\"GLABELLA\"}"));
        assertProblem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("sites");

        Http.Response epoch = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":12,\"factor\":\"STRESS\"}");
        assertProblem(epoch, 400);
        assertThat(epoch.json().get("errors").get(0).get("field").asText()).isEqualTo("occurredAt");
    }

    @Test
    void unknownEnumValueIs400ListingTheAllowedValues() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections",
                glabella20(daysAgo(5)).replace("GLABELLA", "EARLOBE"));
        assertProblem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("sites[0].site");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("GLABELLA");
    }

    @Test
    void numbersAreNotEnumsAndStringsAreNotNumbers() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        Http.Response productAsNumber = http.post("injector", "/api/patients/" + patient + "/injections",
                glabella20(daysAgo(5)).replace("\"ONABOTULINUMTOXIN_A\"", "1"));
        assertProblem(productAsNumber, 400);
        assertThat(productAsNumber.json().get("errors").get(0).get("field").asText()).isEqualTo("product");

        Http.Response unitsAsString = http.post("injector", "/api/patients/" + patient + "/injections",
                glabella20(daysAgo(5)).replace("\"units\":20", "\"units\":\"20\""));
        assertProblem(unitsAsString, 400);

        Http.Response trailingGarbage = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"} garbage".formatted(daysAgo(1)));
        assertProblem(trailingGarbage, 400);
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void aFieldGivenTwiceIs400NamingItNotA500() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        // Found by WriteEndpointsFuzzTest: Jackson failed on a record's creator field given twice (500).
        String body = glabella20(daysAgo(5));
        String expires = body.substring(body.indexOf("\"expiresOn\""), body.indexOf('}', body.indexOf("\"expiresOn\"")));
        Http.Response nested = http.post("injector", "/api/patients/" + patient + "/injections",
                body.replace(expires, expires + "," + expires));
        assertProblem(nested, 400);
        assertThat(nested.json().get("errors").get(0).get("field").asText()).isEqualTo("lot.expiresOn");

        Http.Response top = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"factor\":\"ILLNESS\"}".formatted(daysAgo(1)));
        assertProblem(top, 400);
        assertThat(top.json().get("errors").get(0).get("field").asText()).isEqualTo("factor");
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void extremeUnitsAre400NotA500() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        for (String units : new String[]{"1e999999999", "1e-999999999", "12.345"}) {
            Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections",
                    glabella20(daysAgo(5)).replace("\"units\":20", "\"units\":" + units));
            assertProblem(r, 400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("sites[0].units");
        }
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void blankPatientIdIs400NotA500() {
        Http.Response r = http.get("auditor", "/api/patients/%20/history");
        assertThat(r.status()).as(r.raw()).isIn(400, 404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }

    @Test
    void recordedAtAndRecordedByAreNeverAcceptedFromAClient() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        for (String field : new String[]{"recordedAt", "recordedBy"}) {
            Http.Response r = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                    "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"%s\":\"x\"}".formatted(daysAgo(1), field));
            assertProblem(r, 400);
            assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
        }
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void missingRequiredFieldsAre400WithEveryField() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections", "{\"product\":\"ONABOTULINUMTOXIN_A\"}");
        assertProblem(r, 400);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .contains("occurredAt", "lot", "intent", "indication", "sites");

        Http.Response register = http.post("injector", "/api/patients", "{}");
        assertProblem(register, 400);
        assertThat(register.json().get("errors").findValuesAsText("field")).contains("clinicId", "sex");
    }

    @Test
    void unauthenticatedIs401AndWrongPasswordToo() {
        Http.Response none = http.get(null, "/api/patients/x/schedule");
        assertProblem(none, 401);
        Http.Response wrong = http.post("injector:nope", "/api/patients", "{\"clinicId\":\"c\",\"sex\":\"MALE\"}");
        assertProblem(wrong, 401);
    }

    @Test
    void unknownPatientIs404() {
        Http.Response r = http.post("injector", "/api/patients/" + java.util.UUID.randomUUID() + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1)));
        assertProblem(r, 404);
        assertThat(r.text("code")).isEqualTo("PATIENT_NOT_FOUND");
    }

    @Test
    void integrityRefusalsAre422WithTheirCode() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);

        Http.Response expired = http.post("injector", "/api/patients/" + patient + "/injections",
                glabella20(daysAgo(5)).replaceAll("\"expiresOn\":\"[^\"]+\"", "\"expiresOn\":\"2020-01-01\""));
        assertProblem(expired, 422);
        assertThat(expired.text("code")).isEqualTo("EXPIRED_LOT");

        Http.Response future = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(Instant.now().plus(2, ChronoUnit.DAYS)));
        assertProblem(future, 422);
        assertThat(future.text("code")).isEqualTo("FUTURE_EVENT");

        Http.Response zero = http.post("injector", "/api/patients/" + patient + "/injections",
                injection(daysAgo(5), "LOT-Z", "[{\"site\":\"GLABELLA\",\"units\":0}]"));
        assertProblem(zero, 422);
        assertThat(zero.text("code")).isEqualTo("INVALID_UNITS");

        Http.Response early = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(300)));
        assertProblem(early, 422);
        assertThat(early.text("code")).isEqualTo("BEFORE_REGISTRATION");

        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void timingRefusalIs409WithCodeDetailAndEarliestDate() {
        String patient = registerPatient(daysAgo(100));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(30)));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(2)));
        assertProblem(r, 409);
        assertThat(r.text("code")).isEqualTo("RETREATMENT_TOO_SOON");
        assertThat(r.text("earliestAllowed")).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(r.json().get("overridable").asBoolean()).isTrue();
    }

    @Test
    void invalidQueryParameterIs400() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.get("auditor", "/api/patients/" + patient + "/history?asOf=yesterday");
        assertProblem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("asOf");
    }
}
