package org.treatmentledger.api.security;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator on the main port (the embedded default): probes open, metrics only to the METRICS account
 * ({@code prometheus}, here with the demo password), the health's details to clinicians, auditors and it.
 */
class ManagementEndpointsTest extends LedgerTestSupport {

    @Test
    void anonymousCallersGetNoMetricsNorHealthDetailsButTheProbes() {
        for (String path : new String[]{"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.threads.live",
                "/actuator/info", "/actuator/health/db", "/actuator"}) {
            Http.Response r = http.get(null, path);
            assertProblem(r, 401);
            assertThat(r.header("WWW-Authenticate")).as(path).startsWith("Basic");
            assertThat(r.raw()).as(path).doesNotContain("jvm_").doesNotContain("UP");
        }
        assertThat(http.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        // The contract keeps health open: the status only, no components or details.
        Http.Response health = http.get(null, "/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/status").asText()).isEqualTo("UP");
        assertThat(health.json().has("components")).as(health.raw()).isFalse();
    }

    @Test
    void onlyTheMetricsAccountReadsMetrics() {
        for (String user : new String[]{"injector", "clinician", "auditor", "analyst"}) {
            assertProblem(http.get(user, "/actuator/prometheus"), 403);
            assertProblem(http.get(user, "/actuator/metrics"), 403);
        }
        assertProblem(http.get("prometheus:wrong", "/actuator/prometheus"), 401);
        Http.Response scrape = http.get("prometheus", "/actuator/prometheus");
        assertThat(scrape.status()).as(scrape.raw()).isEqualTo(200);
        assertThat(scrape.raw()).contains("jvm_threads_live_threads");
        assertThat(http.get("prometheus", "/actuator/metrics").status()).isEqualTo(200);
        Http.Response health = http.get("prometheus", "/actuator/health");
        assertThat(health.json().at("/components/db/status").asText()).isEqualTo("UP");
    }

    @Test
    void theMetricsAccountCannotUseTheApi() {
        assertProblem(http.get("prometheus", "/api/analytics/durability?groupBy=product"), 401);
    }
}
