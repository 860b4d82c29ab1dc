package org.treatmentledger.api.ui;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.api.security.SecurityHeaders;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI's chain over plain HTTP (no browser needed): headers and cookie flags, CSRF, a new session id at
 * sign-in, roles and clinics as the API has them, the access record a page leaves, and the API's chain left
 * stateless. Form sign-in throttling is in security.HardenedDeploymentTest (it needs a clock the test moves).
 */
class WebUiSecurityTest extends LedgerTestSupport {

    @LocalServerPort
    int serverPort;

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_STYLE = Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE);

    @Test
    void uiResponsesCarryTheStrictPolicyAndTheSessionCookieIsHttpOnlyAndSameSiteStrict() {
        UiSession ui = new UiSession(serverPort);
        HttpResponse<String> login = ui.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertHeaders(login);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Strict");

        assertThat(ui.signIn("clinician", "demo").statusCode()).isEqualTo(302);
        String patient = registerPatient(daysAgo(30));
        http.post("clinician", "/api/patients/" + patient + "/injections", glabella20(daysAgo(20)));
        for (String path : List.of("/patients", "/patients/" + patient, "/patients/" + patient + "/units",
                "/patients/" + patient + "/record/injection", "/ui/app.css", "/ui/app.js")) {
            HttpResponse<String> page = ui.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertHeaders(page);
            if (path.startsWith("/patients")) {
                assertThat(INLINE_SCRIPT.matcher(page.body()).find()).as("an inline script on " + path).isFalse();
                assertThat(INLINE_STYLE.matcher(page.body()).find()).as("an inline style or handler on " + path).isFalse();
            }
        }
    }

    private static void assertHeaders(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Security-Policy")).contains(SecurityHeaders.WEB_UI_POLICY);
        assertThat(SecurityHeaders.WEB_UI_POLICY).doesNotContain("unsafe-inline").contains("script-src 'self'");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(r.headers().firstValue("Permissions-Policy")).contains(SecurityHeaders.PERMISSIONS_POLICY);
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() {
        UiSession ui = new UiSession(serverPort);
        assertThat(ui.post("/login", Map.of("username", "clinician", "password", "demo")).statusCode())
                .as("sign-in without the login page's token").isEqualTo(403);
        assertThat(ui.signIn("clinician", "demo").statusCode()).isEqualTo(302);
        String patient = registerPatient(daysAgo(30));
        long before = eventCount(patient);
        String yesterday = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays(1)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        Map<String, String> factor = Map.of("occurredAt", yesterday, "factor", "STRESS");
        assertThat(ui.post("/patients/" + patient + "/cycle-factors", factor).statusCode()).isEqualTo(403);
        assertThat(ui.post("/patients/" + patient + "/cycle-factors",
                Map.of("occurredAt", yesterday, "factor", "STRESS", "_csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(eventCount(patient)).as("nothing recorded").isEqualTo(before);
        HttpResponse<String> withToken = ui.submit("/patients/" + patient + "/record/cycle-factor",
                "/patients/" + patient + "/cycle-factors", factor);
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(303);
        assertThat(eventCount(patient)).isEqualTo(before + 1);
    }

    @Test
    void signingInChangesTheSessionIdAndTheOldOneIsWorthNothing() {
        UiSession ui = new UiSession(serverPort);
        ui.get("/login");
        String before = ui.sessionId();
        assertThat(before).isNotNull();
        HttpResponse<String> signedIn = ui.signIn("auditor", "demo");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        String after = ui.sessionId();
        assertThat(after).isNotNull().isNotEqualTo(before);
        assertThat(ui.get("/patients").statusCode()).isEqualTo(200);

        UiSession planted = new UiSession(serverPort);
        planted.useSessionId(before);
        HttpResponse<String> attacker = planted.get("/patients");
        assertThat(attacker.statusCode()).isEqualTo(302);
        assertThat(attacker.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        HttpResponse<String> logout = ui.submit("/patients", "/logout", Map.of());
        assertThat(logout.statusCode()).isEqualTo(302);
        assertThat(ui.get("/patients").statusCode()).as("signed out").isEqualTo(302);
    }

    @Test
    void rolesAndClinicsAreTheApisAndAPageLeavesTheApisAccessRecord() {
        String patient = registerPatient(daysAgo(30));
        UiSession clinician = new UiSession(serverPort);
        clinician.signIn("clinician", "demo");
        assertThat(clinician.get("/patients/" + patient).statusCode()).isEqualTo(200);
        List<Map<String, Object>> records = jdbc.queryForList("SELECT user_name, role, action, resource, status, purpose "
                + "FROM access_log WHERE patient_id = ? AND resource = ?", patient, "GET /patients/" + patient);
        assertThat(records).hasSize(1);
        assertThat(records.get(0)).containsEntry("user_name", "clinician").containsEntry("role", "CLINICIAN")
                .containsEntry("action", "READ").containsEntry("status", 200).containsEntry("purpose", "TREATMENT");

        UiSession otherClinic = new UiSession(serverPort);
        otherClinic.signIn("clinician2", "demo");
        HttpResponse<String> hidden = otherClinic.get("/patients/" + patient);
        assertThat(hidden.statusCode()).as("another clinic's patient answers as an unknown one").isEqualTo(404);
        assertThat(otherClinic.get("/patients/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(otherClinic.post("/patient-search", Map.of("q", patient.substring(0, 8),
                "_csrf", UiSession.csrf(otherClinic.get("/patients").body()))).body())
                .as("row-level security: the search lists only the caller's clinics").doesNotContain(patient);
        assertThat(jdbc.queryForObject("SELECT status FROM access_log WHERE patient_id = ? AND user_name = 'clinician2'",
                Integer.class, patient)).isEqualTo(404);

        UiSession auditor = new UiSession(serverPort);
        auditor.signIn("auditor", "demo");
        long before = eventCount(patient);
        HttpResponse<String> write = auditor.submit("/patients/" + patient + "/history", "/patients/" + patient + "/cycle-factors",
                Map.of("occurredAt", "2026-01-01T10:00", "factor", "STRESS"));
        assertThat(write.statusCode()).as("an auditor only reads").isEqualTo(403);
        assertThat(eventCount(patient)).isEqualTo(before);
        assertThat(auditor.get("/patients/" + patient + "/access-log").body()).contains("GET /patients/" + patient);

        UiSession analyst = new UiSession(serverPort);
        analyst.signIn("analyst", "demo");
        assertThat(analyst.get("/patients").statusCode()).as("analysts see analytics only").isEqualTo(403);
        assertThat(analyst.get("/patients/" + patient).statusCode()).isEqualTo(403);
        assertThat(analyst.get("/analytics").statusCode()).isEqualTo(200);
        assertThat(clinician.get("/patients/" + patient + "/access-log").statusCode()).isEqualTo(403);
    }

    @Test
    void theApisChainStaysStatelessAndTakesNoSessionCookie() {
        String patient = registerPatient(daysAgo(30));
        Http.Response api = http.get("clinician", "/api/patients/" + patient);
        assertThat(api.status()).isEqualTo(200);
        assertThat(api.header("Set-Cookie")).isNull();
        assertThat(api.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.API_POLICY);

        UiSession ui = new UiSession(serverPort);
        ui.signIn("clinician", "demo");
        HttpResponse<String> withCookie = ui.get("/api/patients/" + patient);
        assertThat(withCookie.statusCode()).as("the API takes no session cookie").isEqualTo(401);
    }

    @Test
    void aClinicianErasesThroughTheApisEndpointAndOnlyAClinicianMay() {
        Http.Response registered = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"birthYear\":1984,\"externalRef\":\"UI-ERASE-REF\","
                        + "\"registeredAt\":\"" + daysAgo(30) + "\"}");
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        String patient = registered.text("patientId");
        Map<String, String> reason = Map.of("reason", "The patient's request under the clinic's erasure policy");

        UiSession injector = new UiSession(serverPort);
        injector.signIn("injector", "demo");
        assertThat(injector.get("/patients/" + patient + "/record/erasure").statusCode()).isEqualTo(403);
        assertThat(injector.get("/patients/" + patient).body()).doesNotContain("/record/erasure");
        long before = eventCount(patient);
        assertThat(injector.submit("/patients/" + patient, "/patients/" + patient + "/erasure", reason).statusCode())
                .as("an injector may not erase").isEqualTo(403);
        assertThat(eventCount(patient)).isEqualTo(before);

        UiSession clinician = new UiSession(serverPort);
        clinician.signIn("clinician", "demo");
        assertThat(clinician.get("/patients/" + patient).body()).contains("/patients/" + patient + "/record/erasure");
        HttpResponse<String> erased = clinician.submit("/patients/" + patient + "/record/erasure",
                "/patients/" + patient + "/erasure", reason);
        assertThat(erased.statusCode()).as(erased.body()).isEqualTo(303);
        Http.Response read = http.get("clinician", "/api/patients/" + patient);
        assertThat(read.json().get("erased").asBoolean()).isTrue();
        assertThat(read.json().get("details").path("externalRef").isMissingNode()
                || read.json().get("details").path("externalRef").isNull()).as(read.raw()).isTrue();
        String page = clinician.get("/patients/" + patient).body();
        assertThat(page).contains("Personal data erased").doesNotContain("UI-ERASE-REF").doesNotContain("/record/erasure");

        HttpResponse<String> again = clinician.submit("/patients/" + patient + "/record/erasure",
                "/patients/" + patient + "/erasure", reason);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("ALREADY_ERASED");
    }
}
