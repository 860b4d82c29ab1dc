package org.treatmentledger.api;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stops and restarts the whole service on one data directory: the ledger, its rules' memory and the
 * idempotency keys survive. Uses its own application (not the shared test context) so it can stop it.
 */
class RestartTest {

    @Test
    void dataAndIdempotencyKeysSurviveARestart() {
        Path dataDir = LedgerTestSupport.tempDir().resolve("pg");
        String key = UUID.randomUUID().toString();
        String patient;
        String injectionBody = LedgerTestSupport.glabella20(LedgerTestSupport.daysAgo(3));
        String firstResponse;

        try (ConfigurableApplicationContext app = start(dataDir)) {
            Http http = new Http(port(app));
            patient = http.post("injector", "/api/patients",
                    "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}".formatted(LedgerTestSupport.daysAgo(30))).text("patientId");
            Http.Response first = http.post("injector", "/api/patients/" + patient + "/injections", injectionBody,
                    Map.of("Idempotency-Key", key));
            assertThat(first.status()).isEqualTo(201);
            firstResponse = first.raw();
        }

        try (ConfigurableApplicationContext app = start(dataDir)) {
            Http http = new Http(port(app));
            // The aggregate remembers the injection: a light laser 2 days later is refused with its date.
            Http.Response laser = http.post("injector", "/api/patients/" + patient + "/laser-sessions",
                    LedgerTestSupport.laser(LedgerTestSupport.daysAgo(1), "BROADBAND_LIGHT", "[\"CHEEKS\"]"));
            assertThat(laser.status()).as(laser.raw()).isEqualTo(409);
            assertThat(laser.text("code")).isEqualTo("LASER_AFTER_TOXIN_LIGHT");

            Http.Response replay = http.post("injector", "/api/patients/" + patient + "/injections", injectionBody,
                    Map.of("Idempotency-Key", key));
            assertThat(replay.status()).isEqualTo(201);
            assertThat(replay.raw()).isEqualTo(firstResponse);

            org.springframework.jdbc.core.JdbcTemplate jdbc = app.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                    Long.class, patient)).isEqualTo(2);
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        // Arguments, not builder properties: those are defaults, which application.properties (port 8080) overrides.
        return new SpringApplicationBuilder(LedgerApplication.class)
                .run("--server.port=0", "--ledger.embedded-postgres.data-dir=" + dataDir, "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }
}
