package org.treatmentledger.api.axonserver;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.integrity.AxonServerSealSource;
import org.treatmentledger.api.integrity.SealSource;
import org.treatmentledger.api.integrity.Sealer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code axonserver} profile with Axon Server unreachable (a closed port on this machine): health says
 * DOWN with a reason, and writes answer 503 problem+json quickly instead of hanging or failing with a 500; the
 * ledger's sealer follows Axon Server and waits for it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("axonserver")
class AxonServerUnreachableTest {

    @DynamicPropertySource
    static void unreachableAxonServer(DynamicPropertyRegistry registry) throws IOException {
        registry.add("axon.axonserver.servers", () -> "127.0.0.1:" + closedPort());
        String dataDir = tempDir() + "/pg";
        registry.add("ledger.embedded-postgres.data-dir", () -> dataDir);
        registry.add("ledger.axon.command-timeout", () -> "3s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SealSource sealSource;

    @Autowired
    Sealer sealer;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
        // The served OpenAPI document every answer is checked against, loaded before any timing: building it took
        // 10 s on a loaded machine, which the write's time bound is not about.
        http.contract();
    }

    @Test
    void healthIsDownWithAReason() {
        Http.Response health = http.get("clinician", "/actuator/health");
        assertThat(health.status()).as(health.raw()).isEqualTo(503);
        assertThat(health.json().at("/components/axonServerConnection/status").asText()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/axonServerConnection/details/reason").asText())
                .contains("No connection to Axon Server");
    }

    @Test
    void writesAnswer503ProblemQuicklyAndStoreNothing() {
        // Events live in Axon Server under this profile; the history read model shows whether anything landed.
        long before = jdbc.queryForObject("select count(*) from ledger_event", Long.class);
        Instant started = Instant.now();
        Http.Response r = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS) + "\"}");
        Duration took = Duration.between(started, Instant.now());

        assertThat(r.status()).as(r.raw()).isEqualTo(503);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("code")).isEqualTo("LEDGER_UNAVAILABLE");
        assertThat(r.header("Retry-After")).isNotNull();
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("at org.");
        // Bounded by the command timeout (3 s here), never a hang.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(jdbc.queryForObject("select count(*) from ledger_event", Long.class)).isEqualTo(before);
    }

    /**
     * The tamper-evident log follows Axon Server's event stream under this profile (the JDBC event table is empty):
     * with Axon Server away a round seals nothing and says why, and the evidence endpoint answers 503, not 500.
     */
    @Test
    void theLedgerIsSealedFromAxonServersEventStream() {
        assertThat(sealSource).isInstanceOf(AxonServerSealSource.class);
        assertThat(sealer.isRunning()).isTrue();
        assertThatThrownBy(sealer::sealOnce).isInstanceOf(SealSource.UnavailableException.class)
                .hasMessageContaining("Axon Server");
        Http.Response evidence = http.get("auditor", "/api/patients/" + java.util.UUID.randomUUID() + "/evidence");
        assertThat(evidence.status()).as(evidence.raw()).isEqualTo(503);
        assertThat(evidence.contentType()).startsWith("application/problem+json");
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tempDir() {
        try {
            return Files.createTempDirectory("ledger-axonserver-test-").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
