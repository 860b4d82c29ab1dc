package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, Prometheus metrics (ledger's own names, no patient ids) and the OpenAPI document. */
class OperationsTest extends LedgerTestSupport {

    @Test
    void healthListsDatabaseAndEventProcessorsToClinicians() {
        Http.Response injector = http.get("injector", "/actuator/health");
        assertThat(injector.status()).as(injector.raw()).isEqualTo(200);
        assertThat(injector.text("status")).isEqualTo("UP");
        assertThat(injector.json().has("components")).as("other roles get the status only").isFalse();

        Http.Response r = http.get("clinician", "/actuator/health");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.json().at("/components/db/status").asText()).isEqualTo("UP");
        assertThat(r.json().at("/components/eventProcessors/status").asText()).isEqualTo("UP");
        assertThat(http.get(null, "/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get(null, "/actuator/health/liveness").status()).isEqualTo(200);
    }

    @Test
    void prometheusShowsLedgerMetricsWithoutPatientIds() throws InterruptedException {
        String patient = registerPatient(daysAgo(100));
        http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(3)));
        http.post("injector", "/api/patients/" + patient + "/laser-sessions", laser(daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));
        http.post("clinician", "/api/patients/" + patient + "/laser-sessions", """
                {"occurredAt":"%s","deviceClass":"BROADBAND_LIGHT","zones":["CHEEKS"],"override":{"reason":"travel"}}"""
                .formatted(daysAgo(1)));

        String metrics = http.get("prometheus", "/actuator/prometheus").raw();

        assertThat(metrics).contains("ledger_commands_accepted_total{command=\"RecordInjection\"")
                .contains("ledger_commands_refused_total{command=\"RecordLaserSession\",rule=\"LASER_AFTER_TOXIN_LIGHT\"")
                .contains("ledger_overrides_total{rule=\"LASER_AFTER_TOXIN_LIGHT\"")
                .contains("ledger_events_total{type=\"InjectionRecorded\"")
                .contains("ledger_deadletters{processing_group=")
                .doesNotContain(patient);
        // Axon's dimensional meters, as axon-micrometer names and tags them (AxonMessageMonitors registers them).
        assertThat(metrics).contains("commandBus_successCounter_total{payloadType=\"RecordInjection\"")
                .contains("commandBus_processedCounter_total{payloadType=\"RecordInjection\"")
                .contains("commandBus_allTimer_seconds{payloadType=\"RecordInjection\",quantile=\"0.99\"")
                .contains("commandBus_capacity{payloadType=\"RecordInjection\"")
                .contains("eventStore_ingestedCounter_total{payloadType=\"InjectionRecorded\"")
                .doesNotContain("eventStore_capacity");
        // They appear once it has handled the injection (asynchronously): scrape again until then. Waiting for
        // any read-models meter was not enough: the registration's appear first.
        for (int i = 0; i < 100 && !metrics.contains("payloadType=\"InjectionRecorded\",processorName=\"read-models\""); i++) {
            Thread.sleep(100);
            metrics = http.get("prometheus", "/actuator/prometheus").raw();
        }
        assertThat(metrics).contains("eventProcessor_capacity{payloadType=\"InjectionRecorded\",processorName=\"read-models\"")
                .contains("eventProcessor_ingestedCounter_total{payloadType=\"InjectionRecorded\",processorName=\"read-models\"")
                .contains("eventProcessor_latency{processorName=\"read-models\"");
    }

    @Test
    void openApiDescribesEndpointsEnumsAndProblems() {
        Http.Response r = http.get(null, "/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/paths").has("/api/patients/{patientId}/injections")).isTrue();
        assertThat(r.json().at("/paths").has("/api/patients/{patientId}/corrections")).isTrue();
        assertThat(r.json().at("/paths").has("/api/patients/{patientId}/schedule")).isTrue();
        assertThat(r.json().at("/components/schemas").has("Problem")).isTrue();
        assertThat(r.json().at("/components/schemas/InjectionRequest/required").toString()).contains("occurredAt", "product", "sites");
        assertThat(r.raw()).contains("ONABOTULINUMTOXIN_A").contains("FULL_FACE").contains("Idempotency-Key");
        assertThat(r.json().at("/paths/~1api~1patients~1{patientId}~1laser-sessions/post/responses").has("409")).isTrue();
        assertThat(r.json().at("/paths/~1api~1patients~1{patientId}~1laser-sessions/post/responses").has("503")).isTrue();
    }
}
