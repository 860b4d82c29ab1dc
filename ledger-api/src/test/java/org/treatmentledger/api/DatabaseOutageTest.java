package org.treatmentledger.api;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An external PostgreSQL (started here from the embedded binaries, so the service's own embedded store is off)
 * is stopped under write load and started again on the same data directory and port. While it is down every
 * write answers 503 problem+json with Retry-After within a few seconds; once it is back the service recovers by
 * itself within 10 s (writes succeed, the read models answer for a patient registered after the recovery), and
 * every write that was acknowledged with 201 is in the event store.
 */
class DatabaseOutageTest {

    /**
     * Long enough for Axon's own processor back-off to matter: it doubles the wait after each failed attempt (and
     * each attempt waits 2 s for a connection), so its attempts fell at about 0, 5, 9, 15, 25 and 41 s, and the read
     * models resumed 14.7 s after PostgreSQL was back (ledger.axon.processor-retry-max-delay=60s).
     */
    private static final Duration OUTAGE = Duration.ofMillis(Long.getLong("ledger.test.outage-ms", 27_000));
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    /**
     * A write while the database is down is answered far sooner than a client's usual 30 s timeout: after at most
     * two waits for a connection (spring.datasource.hikari.connection-timeout, 2 s: an aggregate load reads the
     * snapshot, then Axon falls back to the events; or a group commit's wait for the group ahead, then its own).
     */
    private static final Duration PROMPT = Duration.ofSeconds(8);
    private static final int WRITERS = 3;

    record Outcome(String patient, String entryId, int status, String contentType, String retryAfter, String code,
                   long startedNanos, long tookMillis, String raw) { }

    @Test
    void writesAnswer503WhileDownAndEverythingRecoversWithoutLosingAnAcknowledgedWrite() throws Exception {
        Path dataDir = LedgerTestSupport.tempDir().resolve("pg");
        int pgPort = freePort();
        EmbeddedPostgres postgres = startPostgres(dataDir, pgPort);
        ConfigurableApplicationContext app = null;
        AtomicBoolean stop = new AtomicBoolean();
        try {
            app = new SpringApplicationBuilder(LedgerApplication.class).run("--server.port=0", "--spring.jmx.enabled=false",
                    "--spring.datasource.url=jdbc:postgresql://localhost:" + pgPort + "/postgres",
                    "--spring.datasource.username=postgres", "--spring.datasource.password=",
                    "--ledger.security.mode=development"); // demo users on an external database
            Http http = new Http(((WebServerApplicationContext) app).getWebServer().getPort());
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);

            List<String> patients = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) patients.add(register(http));
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < patients.size(); i++) {
                String patient = patients.get(i);
                // One writer sends every write with an Idempotency-Key, whose row the filter stores first.
                boolean withKey = i == 0;
                Thread t = new Thread(() -> {
                    while (!stop.get()) outcomes.add(attempt(patient, () -> write(http, patient, withKey)));
                }, "writer-" + i);
                t.start();
                writers.add(t);
            }
            List<Outcome> reads = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                while (!stop.get()) reads.add(attempt(patients.get(1), () -> read(http, patients.get(1))));
            }, "reader");
            reader.start();
            writers.add(reader);

            Thread.sleep(1_500);
            long downAt = System.nanoTime();
            postgres.close();
            long stoppedAt = System.nanoTime();
            Thread.sleep(OUTAGE.toMillis());
            postgres = startPostgres(dataDir, pgPort);
            long backAt = System.nanoTime();

            // Writes succeed again: the first 201 of a write sent after PostgreSQL is back.
            long firstWriteOk = awaitNanos(backAt, () -> outcomes.stream()
                    .anyMatch(o -> o.startedNanos() > backAt && o.status() == 201));
            // The read models resume: a patient registered now is answered by the read endpoint.
            String[] registered = new String[1];
            awaitNanos(backAt, () -> (registered[0] = tryRegister(http)) != null);
            String late = registered[0];
            long readOk = awaitNanos(backAt, () -> http.get("auditor", "/api/patients/" + late).status() == 200);
            stop.set(true);
            for (Thread t : writers) t.join(Duration.ofSeconds(30).toMillis());

            List<Outcome> during = whileDown(outcomes, stoppedAt, backAt);
            List<Outcome> readsDuring = whileDown(reads, stoppedAt, backAt);
            Map<Integer, Integer> statuses = new TreeMap<>();
            outcomes.forEach(o -> statuses.merge(o.status(), 1, Integer::sum));
            long maxDuringMillis = during.stream().mapToLong(Outcome::tookMillis).max().orElse(-1);
            Map<Integer, Integer> readStatuses = new TreeMap<>();
            reads.forEach(o -> readStatuses.merge(o.status(), 1, Integer::sum));
            System.out.printf("DatabaseOutageTest: outage %d ms (stop took %d ms), %d writes (%s), %d while down (max %d ms);"
                            + " %d reads (%s), %d while down (max %d ms);"
                            + " first 201 %d ms and read model answering %d ms after PostgreSQL was back%n",
                    OUTAGE.toMillis(), (stoppedAt - downAt) / 1_000_000, outcomes.size(), statuses, during.size(),
                    maxDuringMillis, reads.size(), readStatuses, readsDuring.size(),
                    readsDuring.stream().mapToLong(Outcome::tookMillis).max().orElse(-1),
                    (firstWriteOk - backAt) / 1_000_000, (readOk - backAt) / 1_000_000);

            assertThat(during).as("writes sent while PostgreSQL was down").isNotEmpty();
            for (Outcome o : during) {
                assertThat(o.status()).as(o.raw()).isEqualTo(503);
                assertThat(o.contentType()).startsWith("application/problem+json");
                assertThat(o.retryAfter()).as("Retry-After").isNotNull();
                assertThat(o.code()).isEqualTo("LEDGER_UNAVAILABLE");
                assertThat(o.tookMillis()).as("answered promptly").isLessThan(PROMPT.toMillis());
            }
            assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.raw()).isIn(201, 503));
            assertThat(during).anyMatch(o -> o.patient().equals(patients.get(0)));
            // Reads are not the subject here, but they too answer 503, never 500.
            assertThat(reads).allSatisfy(o -> assertThat(o.status()).as(o.raw()).isIn(200, 503));
            assertThat(readsDuring).allSatisfy(o -> {
                assertThat(o.status()).as(o.raw()).isEqualTo(503);
                assertThat(o.contentType()).startsWith("application/problem+json");
                assertThat(o.retryAfter()).as("Retry-After").isNotNull();
            });
            assertThat(Duration.ofNanos(firstWriteOk - backAt)).isLessThan(RECOVERY);
            assertThat(Duration.ofNanos(readOk - backAt)).isLessThan(RECOVERY);

            // No acknowledged write is lost: each 201's entry is in its patient's stream after the restart.
            for (String patient : patients) {
                String stored = String.join("\n", jdbc.query(
                        "SELECT payload FROM domainevententry WHERE aggregateidentifier = ?",
                        (rs, i) -> new String(rs.getBytes(1), StandardCharsets.UTF_8), patient));
                List<String> acknowledged = outcomes.stream()
                        .filter(o -> o.patient().equals(patient) && o.status() == 201).map(Outcome::entryId).toList();
                assertThat(acknowledged).isNotEmpty();
                assertThat(acknowledged).allSatisfy(entry -> assertThat(stored).contains(entry));
                // ...and the read models have every one of them: none was skipped or dead-lettered in the outage.
                awaitNanos(backAt, () -> {
                    String history = http.get("auditor", "/api/patients/" + patient + "/history").raw();
                    return acknowledged.stream().allMatch(history::contains);
                });
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM deadletterentry", Long.class)).isZero();
        } finally {
            stop.set(true);
            if (app != null) app.close();
            postgres.close();
        }
    }

    private static String register(Http http) {
        Http.Response r = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}".formatted(LedgerTestSupport.daysAgo(60)));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    private static String tryRegister(Http http) {
        Http.Response r = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}".formatted(LedgerTestSupport.daysAgo(60)));
        assertThat(r.status()).as(r.raw()).isIn(201, 503);
        return r.status() == 201 ? r.text("patientId") : null;
    }

    private static Outcome write(Http http, String patient, boolean withKey) {
        long started = System.nanoTime();
        Http.Response r = http.post("injector", "/api/patients/" + patient + "/cycle-factors",
                "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(LedgerTestSupport.daysAgo(1)),
                withKey ? Map.of("Idempotency-Key", UUID.randomUUID().toString()) : Map.of());
        return outcome(patient, r, started);
    }

    private static Outcome read(Http http, String patient) {
        long started = System.nanoTime();
        return outcome(patient, http.get("auditor", "/api/patients/" + patient + "/history"), started);
    }

    /** A request the client could not complete at all (connection reset, its own timeout) counts as status -1. */
    private static Outcome attempt(String patient, Supplier<Outcome> request) {
        long started = System.nanoTime();
        try {
            return request.get();
        } catch (RuntimeException e) {
            return new Outcome(patient, null, -1, "", null, null, started, (System.nanoTime() - started) / 1_000_000,
                    e.toString());
        }
    }

    private static Outcome outcome(String patient, Http.Response r, long started) {
        long took = (System.nanoTime() - started) / 1_000_000;
        return new Outcome(patient, r.text("entryId"), r.status(), r.contentType(), r.header("Retry-After"), r.text("code"),
                started, took, r.raw());
    }

    /** Requests sent after PostgreSQL was stopped and answered before it was back. */
    private static List<Outcome> whileDown(List<Outcome> outcomes, long stoppedAt, long backAt) {
        synchronized (outcomes) {
            return outcomes.stream()
                    .filter(o -> o.startedNanos() > stoppedAt && o.startedNanos() + o.tookMillis() * 1_000_000 < backAt)
                    .toList();
        }
    }

    /** Polls until the condition holds and answers when; fails after twice the recovery bound. */
    private static long awaitNanos(long since, Supplier<Boolean> condition) throws InterruptedException {
        while (!condition.get()) {
            if (System.nanoTime() - since > 2 * RECOVERY.toNanos()) {
                throw new AssertionError("not recovered within " + 2 * RECOVERY.toSeconds() + " s of PostgreSQL being back");
            }
            Thread.sleep(50);
        }
        return System.nanoTime();
    }

    /** The same server settings as the service's embedded PostgreSQL (durable commits). */
    private static EmbeddedPostgres startPostgres(Path dataDir, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("max_connections", "50")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
