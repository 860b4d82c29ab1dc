package org.treatmentledger.api.rebuild;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** POST/GET /api/admin/rebuilds over HTTP: clinicians only, unknown read models 404. */
class RebuildEndpointTest extends LedgerTestSupport {

    @Test
    void a_clinician_rebuilds_a_read_model_and_follows_its_progress() {
        Http.Response started = http.post("clinician", "/api/admin/rebuilds/history", "");
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        assertThat(started.text("processingGroup")).isEqualTo("history");
        assertThat(started.header("Location")).isEqualTo("/api/admin/rebuilds/history");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response progress = http.get("clinician", "/api/admin/rebuilds/history");
            assertThat(progress.status()).isEqualTo(200);
            assertThat(progress.json().get("replaying").asBoolean()).isFalse();
            assertThat(progress.json().get("running").asBoolean()).isTrue();
        });
        Http.Response all = http.get("clinician", "/api/admin/rebuilds");
        assertThat(all.json().findValuesAsText("processingGroup"))
                .containsExactly("schedule", "units", "intervals", "history", "durability", "lots");
    }

    @Test
    void other_roles_may_not_and_unknown_read_models_are_404() {
        assertThat(http.post("injector", "/api/admin/rebuilds/history", "").status()).isEqualTo(403);
        assertThat(http.get("auditor", "/api/admin/rebuilds").status()).isEqualTo(403);
        assertThat(http.get("analyst", "/api/admin/rebuilds/units").status()).isEqualTo(403);
        Http.Response unknown = http.post("clinician", "/api/admin/rebuilds/patients", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.text("code")).isEqualTo("READ_MODEL_NOT_FOUND");
    }
}
