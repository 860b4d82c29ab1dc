package org.treatmentledger.api.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.api.ui.UiSession;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.api.LedgerTestSupport.assertProblem;

/**
 * The service as the deploy files run it: management endpoints on their own port with a configured metrics
 * password, behind a TLS-terminating proxy (forwarded headers), and the sign-in throttle on a clock the test moves.
 * A context of its own: locking a demo account in the shared one would fail other tests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "ledger.security.metrics-password=scrape-secret",
        "server.forward-headers-strategy=native"})
@ExtendWith(OutputCaptureExtension.class)
@AutoConfigureObservability // the Prometheus endpoint, as in production
class HardenedDeploymentTest {

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-hardened-test-");
    }

    @TestConfiguration
    static class MovableClock {
        @Bean
        @Primary
        MutableClock movableClock() {
            return new MutableClock(Instant.now());
        }
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    MutableClock clock;

    @Test
    void theSixthWrongPasswordWithinAMinuteIsLockedAndTheRightOneWaitsForTheLockToEnd(CapturedOutput output) {
        Http http = new Http(port);
        String path = "/api/patients/" + UUID.randomUUID();
        String wrongPassword = "not-the-password-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            if (i > 1) clock.advance(Duration.ofSeconds(5)); // five failures within 20 s
            assertProblem(http.get("clinician:" + wrongPassword, path), 401);
        }
        Http.Response sixth = http.get("clinician:" + wrongPassword, path);
        assertProblem(sixth, 429);
        assertThat(sixth.text("code")).isEqualTo("SIGN_IN_LOCKED");
        assertThat(sixth.header("Retry-After")).isEqualTo("60");

        Http.Response right = http.get("clinician", path);
        assertProblem(right, 429);
        assertThat(http.get("auditor", path).status()).as("other accounts sign in").isEqualTo(404);

        clock.advance(Duration.ofSeconds(59));
        Http.Response stillLocked = http.get("clinician", path);
        assertProblem(stillLocked, 429);
        assertThat(stillLocked.header("Retry-After")).isEqualTo("1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(http.get("clinician", path).status()).as("the lock has ended").isEqualTo(404);

        String metrics = new Http(managementPort).get("prometheus:scrape-secret", "/actuator/prometheus").raw();
        assertThat(metrics).contains("ledger_security_login_failures_total")
                .containsPattern("ledger_security_login_locks_total\\{scope=\"account\"\\} [1-9]"); // the UI's test may lock one too
        assertThat(output.getAll()).contains("Failed sign-in of account 'clinician'")
                .contains("Sign-in LOCKED for 60 s").doesNotContain(wrongPassword);
    }

    /** The web UI's form sign-in (api.ui) is throttled by the same LoginThrottle, from another client address. */
    @Test
    void theWebUisFormSignInIsLockedAfterTheFifthWrongPasswordUntilTheLockEnds() {
        UiSession ui = new UiSession(port).with("X-Forwarded-For", "198.51.100.23");
        for (int i = 1; i <= 5; i++) {
            if (i > 1) clock.advance(Duration.ofSeconds(5));
            HttpResponse<String> wrong = ui.signIn("analyst", "wrong-" + i);
            assertThat(wrong.statusCode()).isEqualTo(302);
            assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        }
        HttpResponse<String> sixth = ui.signIn("analyst", "wrong-6");
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.headers().firstValue("Retry-After")).contains("60");
        assertThat(sixth.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(sixth.body()).contains("SIGN_IN_LOCKED");

        HttpResponse<String> right = ui.signIn("analyst", "demo");
        assertThat(right.statusCode()).as("the right password during the lock").isEqualTo(429);
        assertThat(ui.get("/analytics").statusCode()).as("not signed in").isEqualTo(302);
        clock.advance(Duration.ofSeconds(59));
        assertThat(ui.signIn("analyst", "demo").headers().firstValue("Retry-After")).contains("1");
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> afterLock = ui.signIn("analyst", "demo");
        assertThat(afterLock.statusCode()).isEqualTo(302);
        assertThat(afterLock.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        assertThat(ui.get("/analytics").statusCode()).isEqualTo(200);
    }

    @Test
    void managementEndpointsAnswerOnlyOnTheirPortAndOnlyToTheMetricsAccount() {
        Http management = new Http(managementPort);
        assertThat(managementPort).isNotEqualTo(port);
        assertProblem(management.get(null, "/actuator/prometheus"), 401);
        assertProblem(management.get(null, "/actuator/health/db"), 401);
        assertThat(management.get(null, "/actuator/health").json().has("components")).isFalse();
        assertProblem(management.get("prometheus", "/actuator/prometheus"), 401); // the demo password is not its own
        assertProblem(management.get("clinician", "/actuator/prometheus"), 403);
        assertThat(management.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(management.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        Http.Response scrape = management.get("prometheus:scrape-secret", "/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.API_POLICY);

        Http api = new Http(port);
        assertThat(api.get("prometheus:scrape-secret", "/actuator/prometheus").status()).isIn(401, 404);
        assertThat(api.get("clinician", "/actuator/prometheus").status()).isEqualTo(404);
    }

    @Test
    void behindATlsProxyHstsIsSentAndFailuresCountPerForwardedAddress() {
        Http http = new Http(port);
        Http.Response https = http.send(null, "GET", "/v3/api-docs", null, Map.of("X-Forwarded-Proto", "https"));
        assertThat(https.header("Strict-Transport-Security")).isEqualTo("max-age=31536000 ; includeSubDomains");
        assertThat(http.get(null, "/v3/api-docs").header("Strict-Transport-Security")).isNull();

        String path = "/api/patients/" + UUID.randomUUID();
        Map<String, String> attacker = Map.of("X-Forwarded-For", "203.0.113.7");
        for (int i = 0; i < 20; i++) {
            assertProblem(http.send("user-" + i + ":guess", "GET", path, null, attacker), 401);
        }
        assertProblem(http.send("injector", "GET", path, null, attacker), 429);
        assertThat(http.send("injector", "GET", path, null, Map.of("X-Forwarded-For", "203.0.113.8")).status())
                .as("another client of the same proxy").isEqualTo(404);
        clock.advance(Duration.ofMinutes(1));
        assertThat(http.send("injector", "GET", path, null, attacker).status()).isEqualTo(404);
    }
}
