package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.io.ByteArrayOutputStream;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error status of docs/http-api.md as application/problem+json, and nothing stored for any of them. */
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
        Http.Response wrong = http.post("injector:nope", "/api/patients", "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}");
        assertProblem(wrong, 401);
    }

    @Test
    void unknownPatientIs404() {
        Http.Response r = http.post("injector", "/api/patients/" + UUID.randomUUID() + "/cycle-factors",
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

    // ---- errors raised before Spring MVC, or outside any controller -------------------------------------

    /** The default maximum body size (ledger.http.max-body-size). */
    private static final int MAX_BODY = 1024 * 1024;

    private RawHttp raw() {
        return new RawHttp(port, http::contract);
    }

    /** A problem from the web server's own error path: JSON, no HTML page, no server name, no internals. */
    private static void assertBareProblem(RawHttp.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.body()).doesNotContain("<html").doesNotContain("Tomcat").doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    @Test
    void encodedSlashesAreAProblemNotTheServersHtmlPage() {
        long before = allEvents();
        RawHttp.Response r = raw().send("POST", "/api/patients/..%2F..%2Fetc/injections", "injector",
                Map.of("Content-Type", "application/json"), glabella20(daysAgo(5)).getBytes(StandardCharsets.UTF_8));
        assertBareProblem(r, 400);
        assertThat(r.json().get("errors").get(0).get("field").asText()).isEqualTo("path");
        assertThat(raw().send("GET", "/api/patients/a%5Cb/schedule", "auditor", Map.of(), null).status()).isEqualTo(400);
        assertThat(allEvents()).isEqualTo(before);
    }

    @Test
    void malformedUrisAreProblems() {
        assertBareProblem(raw().send("GET", "/api/patients/%zz/schedule", "auditor", Map.of(), null), 400);
        assertBareProblem(raw().send("GET", "/api/patients/x/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "auditor", Map.of(), null), 400);
        // Characters a URI may not hold: refused while the request line is parsed.
        assertBareProblem(raw().send("GET", "/api/patients/a{b}/schedule", "auditor", Map.of(), null), 400);
        // Refused by Spring Security's firewall (path parameters, a semicolon), inside the servlet but before MVC.
        assertBareProblem(raw().send("GET", "/api/patients/x;jsessionid=1/schedule", "auditor", Map.of(), null), 400);
    }

    @Test
    void unknownPathsAre404Problems() {
        assertProblem(http.get("clinician", "/api/patients/" + UUID.randomUUID() + "/nothing-here"), 404);
        assertProblem(http.post("clinician", "/api/nothing-here", "{}"), 404);
        // Outside the role rules' paths every /api request is refused before it can tell what exists.
        assertProblem(http.get("auditor", "/api/nothing-here"), 403);
    }

    @Test
    void wrongMethodIs405WithAllow() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/schedule", "{}");
        assertProblem(r, 405);
        assertThat(r.header("Allow")).contains("GET");
        assertProblem(http.get("auditor", "/api/patients"), 405);
    }

    @Test
    void unacceptableAcceptIs406StillAsAProblem() {
        String patient = registerPatient(daysAgo(100));
        Http.Response r = http.send("auditor", "GET", "/api/patients/" + patient + "/schedule", null,
                Map.of("Accept", "text/html"));
        assertProblem(r, 406);
        Http.Response write = http.send("injector", "POST", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1)), Map.of("Accept", "application/xml"));
        assertProblem(write, 406);
    }

    @Test
    void unsupportedContentTypeIs415() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        Http.Response r = http.send("injector", "POST", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1)), Map.of("Content-Type", "text/plain"));
        assertProblem(r, 415);
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    @Test
    void aBodyOverTheMaximumIs413AndStoresNothing() {
        String patient = registerPatient(daysAgo(100));
        long before = eventCount(patient);
        // Valid JSON just over the limit: a note padded with spaces, which Jackson would otherwise accept.
        String json = "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(1));
        String large = json.substring(0, json.length() - 1) + " ".repeat(MAX_BODY - json.length() + 1) + "}";
        assertThat(large.length()).isEqualTo(MAX_BODY + 1);
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/cycle-factors", large);
        assertProblem(r, 413);
        assertThat(r.text("detail")).contains("1048576");
        // With an Idempotency-Key the body is read before the controller: refused just the same.
        assertProblem(http.post("injector", "/api/patients/" + patient + "/cycle-factors", large,
                Map.of("Idempotency-Key", "too-large-1")), 413);
        // Without Content-Length (chunked), the limit holds while the body is read.
        RawHttp.Response chunked = raw().sendChunked("POST", "/api/patients/" + patient + "/cycle-factors", "injector",
                "application/json", large.getBytes(StandardCharsets.UTF_8));
        assertBareProblem(chunked, 413);
        RawHttp.Response chunkedKeyed = raw().send("POST", "/api/patients/" + patient + "/cycle-factors", "injector",
                Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked", "Idempotency-Key", "too-large-2"),
                chunk(large.getBytes(StandardCharsets.UTF_8)));
        assertBareProblem(chunkedKeyed, 413);
        assertThat(eventCount(patient)).isEqualTo(before);
        // At the limit exactly it is an ordinary write.
        String atLimit = json.substring(0, json.length() - 1) + " ".repeat(MAX_BODY - json.length()) + "}";
        assertThat(http.post("injector", "/api/patients/" + patient + "/cycle-factors", atLimit).status()).isEqualTo(201);
    }

    @Test
    void authenticationAndRoleRefusalsStayProblemsWhateverTheClientAccepts() {
        Http.Response none = http.send(null, "GET", "/api/patients/x/schedule", null, Map.of("Accept", "text/html"));
        assertProblem(none, 401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
        Http.Response forbidden = http.send("analyst", "GET", "/api/patients/x/schedule", null, Map.of("Accept", "text/html"));
        assertProblem(forbidden, 403);
    }

    @Test
    void theErrorPathItselfAnswersAProblem() {
        assertBareProblem(raw().send("GET", "/error", null, Map.of("Accept", "text/html"), null), 404);
        // Outside /api an anonymous request is asked to authenticate before anything tells it what exists.
        assertBareProblem(raw().send("GET", "/no-such-page", null, Map.of("Accept", "text/html"), null), 401);
    }

    private static byte[] chunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 8192) {
            int length = Math.min(8192, body.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
