package org.treatmentledger.api;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the end-to-end tests: one Spring context (same configuration => Spring's context cache shares it
 * across test classes) over real HTTP, on an embedded PostgreSQL in a temporary data directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
public abstract class LedgerTestSupport {

    static final Path DATA_DIR = tempDir();

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) {
        registry.add("ledger.embedded-postgres.data-dir", () -> DATA_DIR.resolve("pg").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    /**
     * For a test class with a Spring context of its own (other properties, so not the shared one): its own
     * embedded PostgreSQL in a new temporary data directory, so two cached contexts never share one.
     */
    public static void ownEmbeddedPostgres(DynamicPropertyRegistry registry, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        registry.add("ledger.embedded-postgres.data-dir", () -> dir.resolve("pg").toString());
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory("ledger-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- fixtures -------------------------------------------------------------------------------------

    public static Instant daysAgo(int days) {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(days, ChronoUnit.DAYS);
    }

    protected String registerPatient(Instant registeredAt) {
        return registerPatient(http, registeredAt);
    }

    /** Registers a patient of clinic-1 through {@code http}; answers its id. */
    public static String registerPatient(Http http, Instant registeredAt) {
        Http.Response r = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"birthYear\":1985,\"registeredAt\":\"" + registeredAt + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    public static String injection(Instant at, String lotNumber, String sitesJson) {
        return """
                {"occurredAt":"%s","product":"ONABOTULINUMTOXIN_A","lot":{"number":"%s","expiresOn":"%s"},
                 "intent":"LIGHT","indication":"COSMETIC","sites":%s,"dilutionMlPer100U":2.5}"""
                .formatted(at, lotNumber, Instant.now().plus(400, ChronoUnit.DAYS).toString().substring(0, 10), sitesJson);
    }

    public static String glabella20(Instant at) {
        return injection(at, "LOT-A1", "[{\"site\":\"GLABELLA\",\"units\":20}]");
    }

    protected static String laser(Instant at, String deviceClass, String zones) {
        return """
                {"occurredAt":"%s","deviceClass":"%s","zones":%s,"deviceModel":"BBL Hero","passes":2}"""
                .formatted(at, deviceClass, zones);
    }

    protected long eventCount(String patientId) {
        Long n = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class,
                patientId);
        return n == null ? 0 : n;
    }

    protected long allEvents() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        return n == null ? 0 : n;
    }

    public static void assertProblem(Http.Response r, int status) {
        assertThat(r.status()).as(r.raw()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
