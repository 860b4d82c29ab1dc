package org.treatmentledger.api.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.WebElement;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in Debian's headless Chromium, on the shared test context (the clinic policy's zone is UTC there):
 * a clinician charts the source article's sample plan through the forms, meets a refusal and overrides it; an
 * auditor's history as of an instant equals the API's; every page passes axe-core and is photographed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiBrowserTest extends LedgerTestSupport {

    @LocalServerPort
    int serverPort;

    private Browser browser;
    private String patient;

    @BeforeAll
    void browser() {
        browser = new Browser(serverPort);
    }

    @AfterAll
    void close() {
        if (browser != null) browser.close();
    }

    private static String local(LocalDate day, int hour) {
        return LocalDateTime.of(day, LocalTime.of(hour, 30)).toString();
    }

    @Test
    @Order(1)
    void aClinicianChartsTheSamplePlanMeetsATooEarlyLaserAndOverridesIt() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate injected = today.minusDays(40);
        LocalDate touchUp = injected.plusDays(15);
        Browser b = browser;
        b.signIn("clinician");

        // Register through the form (clinic-1 is the clinician's only clinic).
        b.open("/register");
        b.select("sex", "FEMALE");
        b.type("birthYear", "1985");
        b.set("registeredAt", local(today.minusDays(60), 9));
        b.submit("main form");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).matches(".*/patients/[0-9a-f-]{36}$");
        patient = b.driver.getCurrentUrl().substring(b.driver.getCurrentUrl().lastIndexOf('/') + 1);

        // The initial injection, light: glabella, forehead and crow's feet on the face map.
        b.open("/patients/" + patient + "/record/injection");
        b.set("occurredAt", local(injected, 9));
        b.select("product", "ONABOTULINUMTOXIN_A");
        b.type("lotNumber", "C1234A5");
        b.set("lotExpiresOn", today.plusYears(1).toString());
        b.select("intent", "LIGHT");
        b.select("indication", "COSMETIC");
        b.type("units_GLABELLA", "12");
        b.type("units_FOREHEAD", "8");
        b.type("units_CROWS_FEET_LEFT", "6");
        b.type("units_CROWS_FEET_RIGHT", "6");
        assertThat(b.text("#units-total")).as("the face map's script adds the sites up").isEqualTo("32");
        assertThat(b.text("[data-for=units_GLABELLA]")).as("the marker shows its units").isEqualTo("12");
        b.check("form-injection-filled");
        b.submit("main form");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).endsWith("/patients/" + patient);

        // The two-week review.
        b.open("/patients/" + patient + "/record/photo-checkpoint");
        b.set("occurredAt", local(injected.plusDays(14), 10));
        b.select("kind", "POST_INJECTION_REVIEW");
        b.type("sha256", "ab".repeat(32));
        b.submit("main form");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).endsWith("/patients/" + patient);

        // A small touch-up the day after the review.
        b.open("/patients/" + patient + "/record/touch-up");
        b.set("occurredAt", local(touchUp, 9));
        b.type("lotNumber", "C1234A5");
        b.set("lotExpiresOn", today.plusYears(1).toString());
        b.type("units_GLABELLA", "2");
        b.submit("main form");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).endsWith("/patients/" + patient);

        // The laser a day after the touch-up: too early, refused with its earliest date; nothing recorded.
        b.open("/patients/" + patient + "/record/laser-session");
        b.set("occurredAt", local(touchUp.plusDays(1), 11));
        b.select("deviceClass", "NON_ABLATIVE_FRACTIONAL");
        b.find("#zone_CHEEKS").click();
        b.submit("main form");
        assertThat(b.text("#refusal h2")).contains("LASER_AFTER_TOUCH_UP");
        assertThat(b.text("#refusal .sentence")).isNotBlank();
        assertThat(b.text("#refusal .earliest")).isEqualTo(touchUp.plusDays(3).toString());
        assertThat(b.find("#zone_CHEEKS").isSelected()).as("the form keeps what was typed").isTrue();
        b.check("form-laser-refused");
        assertThat(http.get("clinician", "/api/patients/" + patient + "/history").json().get("entries"))
                .as("a refusal records nothing").hasSize(4);

        // The clinician overrides with a reason: the laser and the override are on the timeline.
        b.type("overrideReason", "Patient flies abroad tomorrow; discussed the risk of bruising");
        b.submit("main form");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).endsWith("/patients/" + patient);
        List<String> types = new ArrayList<>();
        for (WebElement entry : b.all(".timeline .entry .type")) types.add(entry.getText());
        assertThat(types).containsExactly("Registration", "Injection", "Photo checkpoint", "Touch up", "Laser session");
        WebElement laser = b.all(".timeline .entry").get(4);
        assertThat(laser.getText()).contains("Override: LASER_AFTER_TOUCH_UP overridden by clinician")
                .contains("earliest allowed " + touchUp.plusDays(3))
                .contains("Patient flies abroad tomorrow");
        assertThat(b.all(".timeline .entry").get(1).getText()).contains("GLABELLA 12 U").contains("CROWS_FEET_LEFT 6 U");
        b.check("patient-timeline");
    }

    @Test
    @Order(2)
    void anAuditorsHistoryAsOfAnInstantEqualsTheApis() {
        String id = patient();
        JsonNode now = http.get("auditor", "/api/patients/" + id + "/history").json().get("entries");
        // As recorded when the last entry but one was (in the sample plan: the touch-up, before the laser).
        List<String> recorded = new ArrayList<>();
        for (JsonNode e : now) recorded.add(e.get("recordedAt").asText());
        recorded.sort(java.util.Comparator.comparing(java.time.Instant::parse));
        String asOf = recorded.get(recorded.size() - 2);
        Http.Response api = http.get("auditor", "/api/patients/" + id + "/history?asOf=" + asOf);
        assertThat(api.status()).isEqualTo(200);

        browser.signIn("auditor");
        browser.open("/patients/" + id + "/history");
        browser.type("asOf", asOf);
        browser.submit("main form");
        assertThat(browser.text("#as-of-instant")).contains(asOf);
        List<List<String>> page = new ArrayList<>();
        for (WebElement row : browser.all("#history tbody tr")) {
            page.add(List.of(cell(row, ".entry-id"), cell(row, ".entry-type"), cell(row, ".occurred-at"),
                    cell(row, ".recorded-at"), cell(row, ".voided"), cell(row, ".corrections")));
        }
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode e : api.json().get("entries")) {
            expected.add(List.of(e.get("entryId").asText(), e.get("type").asText(), e.get("occurredAt").asText(),
                    e.get("recordedAt").asText(), e.has("voided") ? e.get("voided").asText() : "",
                    String.valueOf(e.has("corrections") ? e.get("corrections").size() : 0)));
        }
        assertThat(page).isEqualTo(expected);
        assertThat(page).hasSize(now.size() - 1);
        browser.check("auditor-history-as-of");
    }

    private static String cell(WebElement row, String css) {
        return row.findElement(org.openqa.selenium.By.cssSelector(css)).getText();
    }

    @Test
    @Order(3)
    void everyPagePassesAxeCore() {
        String id = patient();
        Browser b = browser;
        b.driver.manage().deleteAllCookies();
        b.open("/login");
        b.check("login");

        b.signIn("clinician");
        b.open("/patients");
        b.check("patients");
        b.open("/register");
        b.check("form-register");
        b.open("/patients/" + id);
        b.check("patient");
        for (String form : WriteFormsController.TITLES.keySet()) {
            String query = form.equals("resolution") ? "?sideEffectId=s-1"
                    : form.equals("correction") ? "?targetEntryId=" + firstEntry(id) : "";
            b.open("/patients/" + id + "/record/" + form + query);
            assertThat(b.text("h1")).isEqualTo(WriteFormsController.TITLES.get(form));
            b.check("form-" + form);
        }
        for (String page : List.of("schedule", "units", "intervals", "history", "corrections", "evidence")) {
            b.open("/patients/" + id + "/" + page);
            b.check("patient-" + page);
        }
        assertThat(b.text("#verdict")).startsWith("Verified");
        b.open("/analytics");
        assertThat(b.driver.getPageSource()).contains("Not allowed");
        b.check("denied");

        b.signIn("auditor");
        b.open("/patients/" + id + "/access-log");
        assertThat(b.text("#access-log")).contains("GET /patients/" + id);
        b.check("patient-access-log");
        b.open("/integrity");
        b.clickAndAwaitNextPage(b.find("main form button"));
        assertThat(b.text("#verification")).startsWith("Verified");
        b.check("integrity");

        b.signIn("analyst");
        assertThat(b.driver.getCurrentUrl()).as(b::mainText).endsWith("/analytics");
        b.check("analytics");
    }

    private String firstEntry(String id) {
        return http.get("clinician", "/api/patients/" + id + "/history").json().get("entries").get(1).get("entryId").asText();
    }

    /** The sample plan's patient, or (when run alone) one recorded through the API. */
    private String patient() {
        if (patient == null) {
            patient = registerPatient(daysAgo(60));
            http.post("clinician", "/api/patients/" + patient + "/injections", glabella20(daysAgo(40)));
            http.post("clinician", "/api/patients/" + patient + "/cycle-factors",
                    "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(30)));
            http.post("clinician", "/api/patients/" + patient + "/photo-checkpoints",
                    "{\"occurredAt\":\"%s\",\"kind\":\"POST_INJECTION_REVIEW\",\"images\":[{\"view\":\"FRONT\",\"sha256\":\"%s\"}]}"
                            .formatted(daysAgo(26), "cd".repeat(32)));
        }
        return patient;
    }
}
