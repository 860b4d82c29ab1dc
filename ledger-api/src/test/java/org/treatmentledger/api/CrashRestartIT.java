package org.treatmentledger.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged service (target/ledger-api.jar) as a child process, SIGKILLed while clients write, and started again
 * on the same data directory, once for each way a crash leaves the embedded PostgreSQL:
 * <ol>
 *   <li>the JVM alone (what the OOM killer does): its watchdog stops PostgreSQL;</li>
 *   <li>the JVM and its watchdog: PostgreSQL is left running, and the next start stops it;</li>
 *   <li>everything, PostgreSQL included: a stale postmaster.pid, and PostgreSQL recovers from its WAL.</li>
 * </ol>
 * Every start must succeed and every write answered 201 must be in the event store. At the end a SIGTERM must leave
 * neither the JVM nor PostgreSQL running.
 */
class CrashRestartIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);
    private static final Pattern ENTRY_ID = Pattern.compile("\"entryId\"\\s*:\\s*\"([^\"]+)\"");

    private enum Crash { JVM, JVM_AND_WATCHDOG, EVERYTHING }

    @TempDir
    Path tmp;

    private Path dataDir;
    /** Every process this test made or found serving its data directory: all gone after the test, pass or fail. */
    private final List<ProcessHandle> spawned = new CopyOnWriteArrayList<>();

    /** Acknowledged (201) writes: patient id -> entry ids of its acknowledged injections. */
    private final Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
    /** Answered (200) reads of the auditor: patient id -> how many. Each must have its access record. */
    private final Map<String, AtomicInteger> answeredReads = new ConcurrentHashMap<>();

    @Test
    void every_acknowledged_write_survives_a_sigkill_and_every_restart_succeeds() throws Exception {
        Path jar = Path.of(System.getProperty("ledger.jar", "target/ledger-api.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged service (mvn package)").isRegularFile();
        dataDir = tmp.resolve("data");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("CrashRestartIT seed " + seed);

        int run = 0;
        Service service = Service.start(jar, dataDir, tmp.resolve("run-" + run + ".log"), spawned);
        for (Crash crash : Crash.values()) {
            // The clients check every answer against the served OpenAPI document: fetched and parsed here, before the
            // load's short window (its first generation by a just-started JVM can take longer than the window).
            new Http(service.httpPort).contract();
            Writers writers = Writers.start(service.httpPort, acknowledged, answeredReads);
            Thread.sleep(1500 + random.nextInt(2500));
            CrashedProcesses crashed = crash(service, crash);
            int written = writers.stop();
            assertThat(written).as("writes acknowledged before the %s crash", crash).isPositive();

            switch (crash) {
                case JVM -> {
                    assertThat(crashed.postmaster.onExit().get(30, TimeUnit.SECONDS).isAlive())
                            .as("the watchdog stops PostgreSQL once the JVM is gone").isFalse();
                    assertThat(service.log()).contains("ledger watchdog: the service's JVM is gone");
                }
                case JVM_AND_WATCHDOG -> {
                    Thread.sleep(1000);
                    assertThat(crashed.postmaster.isAlive()).as("PostgreSQL outlived its JVM and watchdog").isTrue();
                }
                case EVERYTHING -> assertThat(dataDir.resolve("postmaster.pid")).as("a stale lock file").exists();
            }

            run++;
            long restart = System.nanoTime();
            service = Service.start(jar, dataDir, tmp.resolve("run-" + run + ".log"), spawned);
            System.out.printf("CrashRestartIT: %s crash after %d acknowledged writes; up again in %d ms%n",
                    crash, written, (System.nanoTime() - restart) / 1_000_000);
            String log = service.log();
            switch (crash) {
                case JVM -> { }
                case JVM_AND_WATCHDOG -> {
                    assertThat(log).contains("Found the embedded PostgreSQL of an earlier run still serving")
                            .contains("Stopped the leftover PostgreSQL (PID " + crashed.postmaster.pid() + ")");
                    assertThat(crashed.postmaster.isAlive()).isFalse();
                }
                case EVERYTHING -> assertThat(log).contains("which is no longer running");
            }
            assertEveryAcknowledgedWriteIsStored(service.postgresPort);
        }

        assertThat(answeredReads.values().stream().mapToInt(AtomicInteger::get).sum())
                .as("reads answered before the crashes").isPositive();

        // An orderly stop (SIGTERM) leaves nothing running.
        ProcessHandle postmaster = service.postmaster();
        List<ProcessHandle> children = service.process.descendants().toList();
        service.process.destroy();
        assertThat(service.process.waitFor(60, TimeUnit.SECONDS)).as("the JVM exits on SIGTERM").isTrue();
        assertThat(postmaster.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("PostgreSQL stopped with it").isFalse();
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(dataDir.resolve("postmaster.pid")).as("a clean PostgreSQL shutdown").doesNotExist();
        assertThat(service.log()).doesNotContain("ledger watchdog:");  // disarmed, not triggered
    }

    private void assertEveryAcknowledgedWriteIsStored(int postgresPort) throws Exception {
        Set<String> patients = new HashSet<>();
        Map<String, Set<String>> entries = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT aggregateidentifier, convert_from(payload, 'UTF8') FROM domainevententry")) {
            while (rs.next()) {
                patients.add(rs.getString(1));
                Matcher m = ENTRY_ID.matcher(rs.getString(2));
                if (m.find()) entries.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(m.group(1));
            }
        }
        assertThat(patients).containsAll(acknowledged.keySet());
        acknowledged.forEach((patient, injections) ->
                assertThat(entries.getOrDefault(patient, Set.of())).as("entries of " + patient).containsAll(injections));
        assertEveryAnsweredReadHasItsRecord(postgresPort);
    }

    /** The access record is committed before the response leaves: a crash never loses the record of an answered read. */
    private void assertEveryAnsweredReadHasItsRecord(int postgresPort) throws Exception {
        Map<String, Integer> recorded = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT patient_id, count(*) FROM access_log WHERE user_name = 'auditor' "
                     + "AND action = 'READ' AND status = 200 GROUP BY patient_id")) {
            while (rs.next()) recorded.put(rs.getString(1), rs.getInt(2));
        }
        System.out.printf("CrashRestartIT: %d reads answered so far%n",
                answeredReads.values().stream().mapToInt(AtomicInteger::get).sum());
        answeredReads.forEach((patient, reads) -> assertThat(recorded.getOrDefault(patient, 0))
                .as("access records of the auditor's answered reads of " + patient).isGreaterThanOrEqualTo(reads.get()));
        assertEveryRecordIsSealedAgain(postgresPort);
    }

    /**
     * A crash may cut the access log's sealer off mid-round: after the restart every record written before it gets
     * its one leaf within seconds (the round is done again; the unique record id would refuse a second leaf).
     */
    private void assertEveryRecordIsSealedAgain(int postgresPort) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            long upTo;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM access_log")) {
                rs.next();
                upTo = rs.getLong(1);
            }
            long unsealed = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM access_log a WHERE a.id <= " + upTo
                        + " AND NOT EXISTS (SELECT 1 FROM access_leaf l JOIN access_checkpoint k ON l.leaf_index < k.tree_size"
                        + " WHERE l.record_id = a.id)")) {
                    rs.next();
                    unsealed = rs.getLong(1);
                }
                if (unsealed == 0) break;
                Thread.sleep(100);
            }
            assertThat(unsealed).as("access records up to id " + upTo + " without a leaf in a signed checkpoint").isZero();
        }
    }

    private record CrashedProcesses(ProcessHandle postmaster) { }

    private CrashedProcesses crash(Service service, Crash crash) throws Exception {
        ProcessHandle postmaster = service.postmaster();
        List<ProcessHandle> postgresProcesses = new ArrayList<>(postmaster.descendants().toList());
        ProcessHandle watchdog = service.process.children()
                .filter(p -> p.info().commandLine().orElse("").contains("ledger-postgres-watchdog"))
                .findFirst().orElseThrow(() -> new AssertionError("no watchdog among the JVM's children\n" + service.log()));
        if (crash != Crash.JVM) watchdog.destroyForcibly();
        service.process.destroyForcibly();
        if (crash == Crash.EVERYTHING) {
            postmaster.destroyForcibly();
            postgresProcesses.forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(service.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (crash != Crash.JVM) assertThat(watchdog.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        if (crash == Crash.EVERYTHING) {
            for (ProcessHandle p : postgresProcesses) p.onExit().get(10, TimeUnit.SECONDS);
            postmaster.onExit().get(10, TimeUnit.SECONDS);
        }
        return new CrashedProcesses(postmaster);
    }

    @AfterEach
    void leaveNoProcessBehind() throws Exception {
        List<ProcessHandle> all = new ArrayList<>();
        for (ProcessHandle p : spawned) {
            all.add(p);
            all.addAll(p.descendants().toList());
        }
        if (dataDir != null) servingPostmaster(dataDir).ifPresent(pm -> {
            all.add(pm);
            all.addAll(pm.descendants().toList());
        });
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) p.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The postmaster named by the data directory's lock file, if it is alive and was started on that directory. */
    private static Optional<ProcessHandle> servingPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return Optional.empty();
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) return Optional.empty();
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One run of the packaged service. */
    private record Service(Process process, Path logFile, int httpPort, int postgresPort, Path dataDir) {

        static Service start(Path jar, Path dataDir, Path logFile, List<ProcessHandle> spawned) throws Exception {
            int httpPort = freePort();
            int postgresPort = freePort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java,
                    // Quick start, little memory: four starts share two cores with the rest of the build.
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx384m",
                    "-jar", jar.toString(),
                    "--server.port=" + httpPort,
                    "--ledger.embedded-postgres.data-dir=" + dataDir,
                    "--ledger.embedded-postgres.port=" + postgresPort)
                    .directory(dataDir.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            spawned.add(process.toHandle());
            Service service = new Service(process, logFile, httpPort, postgresPort, dataDir);
            service.awaitUp();
            servingPostmaster(dataDir).ifPresent(spawned::add);
            return service;
        }

        private void awaitUp() throws Exception {
            Http http = new Http(httpPort);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) fail("The service exited with " + process.exitValue() + " while starting:\n" + tail());
                try {
                    if (http.get(null, "/actuator/health/readiness").status() == 200) {
                        // Parse the served contract now: on a busy machine the writers' first request spent the
                        // whole pre-crash window parsing it in this JVM and acknowledged nothing.
                        http.contract();
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            fail("The service did not come up within " + START_TIMEOUT.toSeconds() + " s:\n" + tail());
        }

        ProcessHandle postmaster() throws IOException {
            return servingPostmaster(dataDir).orElseThrow(() -> new AssertionError("no postmaster serves " + dataDir + "\n" + tail()));
        }

        String log() {
            try {
                return Files.readString(logFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** PostgreSQL's own complaints (they come long before the stack trace), then the log's end. */
        private String tail() {
            List<String> lines = log().lines().toList();
            List<String> shown = new ArrayList<>(lines.stream().filter(l -> l.contains("FATAL:") || l.contains("HINT:")).toList());
            shown.addAll(lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            return String.join("\n", shown);
        }
    }

    /**
     * Two injectors registering patients, two clinicians recording an injection for each new patient, and two
     * auditors reading the schedules of the registered patients.
     */
    private static final class Writers {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final LinkedBlockingQueue<String> registered = new LinkedBlockingQueue<>();
        private final AtomicInteger acknowledgedNow = new AtomicInteger();

        private final List<String> readable = new CopyOnWriteArrayList<>();

        static Writers start(int port, Map<String, Set<String>> acknowledged, Map<String, AtomicInteger> answeredReads) {
            Writers writers = new Writers();
            for (int i = 0; i < 4; i++) {
                boolean injector = i < 2;
                Thread t = new Thread(() -> writers.write(new Http(port), injector, acknowledged), "writer-" + i);
                writers.threads.add(t);
                t.start();
            }
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> writers.read(new Http(port), answeredReads), "reader-" + i);
                writers.threads.add(t);
                t.start();
            }
            return writers;
        }

        private void read(Http http, Map<String, AtomicInteger> answeredReads) {
            Random random = new Random();
            while (running.get()) {
                try {
                    if (readable.isEmpty()) {
                        sleepQuietly();
                        continue;
                    }
                    String patient = readable.get(random.nextInt(readable.size()));
                    Http.Response r = http.get("auditor", "/api/patients/" + patient + "/schedule");
                    if (r.status() == 200) answeredReads.computeIfAbsent(patient, k -> new AtomicInteger()).incrementAndGet();
                    else sleepQuietly();
                } catch (RuntimeException | AssertionError e) {
                    // The service is gone: this read was never answered.
                    sleepQuietly();
                }
            }
        }

        private void write(Http http, boolean injector, Map<String, Set<String>> acknowledged) {
            while (running.get()) {
                try {
                    if (injector) {
                        Http.Response r = http.post("injector", "/api/patients",
                                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}".formatted(LedgerTestSupport.daysAgo(30)));
                        if (r.status() == 201) {
                            acknowledged.put(r.text("patientId"), ConcurrentHashMap.newKeySet());
                            acknowledgedNow.incrementAndGet();
                            registered.add(r.text("patientId"));
                            readable.add(r.text("patientId"));
                        }
                    } else {
                        String patient = registered.poll(100, TimeUnit.MILLISECONDS);
                        if (patient == null) continue;
                        Http.Response r = http.post("clinician", "/api/patients/" + patient + "/injections",
                                LedgerTestSupport.glabella20(LedgerTestSupport.daysAgo(3)));
                        if (r.status() == 201) {
                            acknowledged.get(patient).add(r.text("entryId"));
                            acknowledgedNow.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    // The service is gone: this write was never acknowledged.
                    sleepQuietly();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the writers; returns how many writes were acknowledged. */
        int stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) t.join(TimeUnit.SECONDS.toMillis(90));
            return acknowledgedNow.get();
        }
    }
}
