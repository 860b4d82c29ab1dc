package org.treatmentledger.bench;

import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.contenders.Describe;
import org.treatmentledger.bench.contenders.Ours;
import org.treatmentledger.bench.contenders.ServiceKek;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.fixtures.BulkWriter;
import org.treatmentledger.bench.fixtures.EventTable;
import org.treatmentledger.bench.infra.BenchPostgres;
import org.treatmentledger.bench.infra.CpuMeter;
import org.treatmentledger.bench.infra.JitSettle;
import org.treatmentledger.bench.load.ClosedLoop;
import org.treatmentledger.bench.peer.PeerApplication;
import org.treatmentledger.bench.report.BenchReport;
import org.treatmentledger.bench.report.Latencies;
import org.treatmentledger.bench.report.Stats;
import org.treatmentledger.bench.report.Targets;
import org.treatmentledger.bench.report.WorkloadResult;
import org.treatmentledger.bench.workloads.CryptoCost;
import org.treatmentledger.bench.workloads.MemorySampler;
import org.treatmentledger.bench.workloads.W1NewPatients;
import org.treatmentledger.bench.workloads.W2LongHistory;
import org.treatmentledger.bench.workloads.W3Rebuild;
import org.treatmentledger.bench.workloads.W4Reads;
import org.treatmentledger.bench.workloads.W5WriteToVisible;
import org.treatmentledger.bench.workloads.W6Integrity;
import org.treatmentledger.bench.workloads.W7Fhir;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.store.EventCodec;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Runs the whole benchmark in one process, on one embedded PostgreSQL: the service ("ours"), stock Axon on
 * JPA ("peer") and plain JDBC ("limit"), then writes target/bench-results.json and prints the table.
 * Arguments: {@code --quick} for the small sizes; {@code --out=FILE} for another result file;
 * {@code --only=W1,W2} to run some workloads only (W4 needs W3's store; CRYPTO is the in-process cost of
 * encrypting and decrypting personal fields, docs/ERASURE.md); {@code --ours:NAME=VALUE} passes a
 * property to the service (e.g. {@code --ours:ledger.axon.snapshot-threshold=50}) to try a setting; the report
 * lists every such override; {@code --w3-events=N} and {@code --w3-timeout=SECONDS} change W3's store size and
 * replay time limit, {@code --w1-clients=1,32} W1's concurrency levels (for trying a setting quickly; the targets
 * are stated for the full sizes).
 */
public final class BenchMain {

    private static final String OURS_DB = "bench_ours";
    private static final String PEER_DB = "bench_peer";
    private static final String LIMIT_DB = "bench_limit";

    private final Set<String> only;
    private final List<String> oursArgs;
    private final Map<String, String> errors = new LinkedHashMap<>();

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Runs one workload; a failure is reported (and its rows are missing) but the other workloads still run. */
    private void attempt(String workload, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            log(workload + " FAILED: " + e);
            e.printStackTrace();
            errors.put(workload, String.valueOf(e));
        }
    }

    private BenchMain(Set<String> only, List<String> oursArgs) {
        this.only = only;
        this.oursArgs = List.copyOf(oursArgs);
    }

    public static void main(String[] args) throws Exception {
        BenchConfig config = List.of(args).contains("--quick") ? BenchConfig.quick() : BenchConfig.full();
        Path out = defaultOut();
        Set<String> only = Set.of("CRYPTO", "W1", "W2", "W3", "W4", "W5", "W6", "W7");
        List<String> oursArgs = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--out=")) out = Path.of(a.substring(6));
            else if (a.startsWith("--only=")) only = Set.of(a.substring(7).toUpperCase().split(","));
            else if (a.startsWith("--ours:")) oursArgs.add("--" + a.substring(7));
            else if (a.startsWith("--w3-events=")) config = config.withW3(Long.parseLong(a.substring(12)), config.w3ReplayTimeout());
            else if (a.startsWith("--w1-clients=")) config = config.withW1Clients(Arrays.stream(a.substring(13).split(","))
                    .map(String::trim).map(Integer::valueOf).toList());
            else if (a.startsWith("--w3-timeout=")) config = config.withW3(config.w3Events(), Duration.ofSeconds(Long.parseLong(a.substring(13))));
            else if (!a.equals("--quick")) throw new IllegalArgumentException("unknown argument " + a);
        }
        BenchMain bench = new BenchMain(only, oursArgs);
        BenchReport report = new BenchReport(config.mode());
        try {
            bench.run(config, report);
        } catch (Throwable t) {
            t.printStackTrace();
            bench.errors.put("run", String.valueOf(t));
        }
        if (!bench.errors.isEmpty()) report.extra().put("errors", bench.errors);
        report.writeJson(out);
        System.out.println();
        System.out.println("ledger-bench (" + config.mode() + "), sizes: " + report.sizes());
        System.out.print(report.toTable());
        if (!bench.errors.isEmpty()) System.out.println("ERRORS (the rows of these workloads are missing): " + bench.errors);
        System.out.println("results: " + out.toAbsolutePath());
        // Spring contexts and the embedded server are closed; stray pool threads must not keep the JVM alive.
        System.exit(bench.errors.isEmpty() ? 0 : 1);
    }

    /** Crypto-shredding's cost per event (docs/ERASURE.md): encrypting on write, decrypting on read, in µs. */
    private static void crypto(BenchConfig config, BenchReport report) {
        boolean quick = config.mode().equals("quick");
        log("CRYPTO: personal fields encrypted on write and decrypted on read, per event");
        CryptoCost.Result r = CryptoCost.measure(quick ? 20 : 200, 50, Duration.ofSeconds(quick ? 2 : 10), quick ? 5 : 20);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("events", r.events());
        details.put("rounds", r.rounds());
        details.put("plainBytesPerEvent", r.plainBytes());
        details.put("encryptedBytesPerEvent", r.encryptedBytes());
        details.put("how", "CryptoCost: W3's event mix serialized by the event store's serializer (AES-256-GCM per personal"
                + " field, keys in memory) and by the plain ledger JSON, alternately in one loop; limit = the plain figure");
        report.add(new WorkloadResult("CRYPTO", 1, "write (serialize) per event", "µs", r.encryptedWriteUs(), null,
                r.plainWriteUs(), r.encryptedWriteUs() / r.plainWriteUs(), null, null, null,
                "encryption adds " + String.format("%.2f", r.writeCostUs()) + " µs per event", details));
        report.add(new WorkloadResult("CRYPTO", 1, "read (deserialize) per event", "µs", r.decryptedReadUs(), null,
                r.plainReadUs(), r.decryptedReadUs() / r.plainReadUs(), null, null, null,
                "decryption adds " + String.format("%.2f", r.readCostUs()) + " µs per event", details));
    }

    private static Path defaultOut() {
        Path module = Path.of("ledger-bench");
        return Files.isDirectory(module) ? module.resolve("target/bench-results.json") : Path.of("target/bench-results.json");
    }

    private static void log(String message) {
        System.out.printf("[bench %s] %s%n", Instant.now().toString().substring(11, 19), message);
    }

    void run(BenchConfig config, BenchReport report) throws Exception {
        machine(report);
        report.sizes().putAll(config.describe());
        report.sizes().put("workloadsRun", only.stream().sorted().toList());
        report.sizes().put("oursPropertyOverrides", oursArgs);
        // In this process, before PostgreSQL and the services start: nothing else runs on the machine meanwhile.
        if (only.contains("CRYPTO")) attempt("CRYPTO", () -> crypto(config, report));
        if (only.equals(Set.of("CRYPTO"))) return; // needs neither PostgreSQL nor the service
        try (BenchPostgres pg = BenchPostgres.start(List.of(OURS_DB, PEER_DB, LIMIT_DB))) {
            report.machine().put("postgres", pg.describe());
            EventTable serviceTable = EventTable.SERVICE;
            EventTable limitTable = new EventTable("limit_event_entry");
            DataSource limitDb = pg.dataSource(LIMIT_DB);
            W1NewPatients.createLimitTable(limitDb, limitTable);

            log("starting ours (ledger-api) on " + pg.jdbcUrl(OURS_DB));
            AxonContender[] holder = {Ours.start(pg.jdbcUrl(OURS_DB), BenchPostgres.USER, oursArgs)};
            try {
                AxonContender ours = holder[0];
                report.contenders().put("ours", Describe.of(ours));
                check(ours.storageEngine().contains("Jpa"), "JPA leaked into ours: " + ours.storageEngine());
                if (only.contains("W1")) {
                    log("starting peer (stock Axon, JPA) on " + pg.jdbcUrl(PEER_DB));
                    try (AxonContender peer = new AxonContender("peer", PeerApplication.start(pg.jdbcUrl(PEER_DB), BenchPostgres.USER))) {
                        report.contenders().put("peer", Describe.of(peer));
                        check(!peer.storageEngine().contains("JpaEventStorageEngine"), "the peer is not on JPA: " + peer.storageEngine());
                        report.contenders().put("limit", Map.of("what", "plain JDBC inserts (PgJDBC, reWriteBatchedInserts) of the same"
                                + " serialized event rows into " + limitTable.name() + ", a table shaped like the service's event table,"
                                + " one connection per client"));
                        attempt("W1", () -> w1(config, report, ours, peer, limitDb, limitTable, pg.dataSource(OURS_DB),
                                new CpuMeter(pg.port(), pg.dataSource(OURS_DB))));
                    }
                }
                if (only.contains("W2")) attempt("W2", () -> w2(config, report, ours, pg.dataSource(OURS_DB)));
                // Before W3, which stops the service's processors and fills the store behind their back.
                if (only.contains("W5")) attempt("W5", () -> w5(config, report, ours));
                if (only.contains("W6")) attempt("W6 sealing lag", () -> w6Lag(config, report, ours, pg.dataSource(OURS_DB)));
                if (only.contains("W7")) attempt("W7", () -> w7(config, report, ours, pg.dataSource(OURS_DB)));
                if (only.contains("W3") || only.contains("W4")) {
                    List<PatientId> patients = new ArrayList<>();
                    attempt("W3", () -> patients.addAll(w3(config, report, holder, pg, serviceTable)));
                    if (only.contains("W4")) {
                        attempt("W4", () -> {
                            check(patients.isEmpty(), "no patient of the W3 store is fully in the read models");
                            w4(config, report, holder[0], patients);
                        });
                    }
                }
                // After W3: its store is the one verified.
                if (only.contains("W6")) attempt("W6", () -> w6Store(report, holder[0], pg.dataSource(OURS_DB)));
            } finally {
                holder[0].close();
            }
        }
        report.extra().put("peakRssWholeRunMiB (VmHWM)", MemorySampler.statusKb("VmHWM:") / 1024.0);
        report.machine().put("loadAverageAtEnd", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void check(boolean failed, String message) {
        if (failed) throw new IllegalStateException(message);
    }

    /** CPU (this JVM, PostgreSQL) and WAL per command over a stretch of work, in the W1 details. */
    private static void perCommand(Map<String, Object> details, String who, CpuMeter.Reading work, long commands) {
        if (commands <= 0) return;
        details.put(who + "JvmCpuMicrosPerCommand", work.jvmCpuSeconds() * 1e6 / commands);
        details.put(who + "PostgresCpuMicrosPerCommand", work.postgresCpuSeconds() * 1e6 / commands);
        details.put(who + "WalBytesPerCommand", (double) work.walBytes() / commands);
        details.put(who + "TransactionsPerCommand", (double) work.transactions() / commands);
        log(String.format("  %s per command: JVM CPU %.0f us, PostgreSQL CPU %.0f us, WAL %.0f bytes, %.2f transactions"
                        + " (%d commands)", who, work.jvmCpuSeconds() * 1e6 / commands, work.postgresCpuSeconds() * 1e6 / commands,
                (double) work.walBytes() / commands, (double) work.transactions() / commands, commands));
        Map<String, Object> threads = new LinkedHashMap<>();
        work.threadCpuSeconds().entrySet().stream().filter(e -> e.getValue() * 1e6 / commands >= 5)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> threads.put(e.getKey(), Math.round(e.getValue() * 1e6 / commands)));
        details.put(who + "JvmThreadCpuMicrosPerCommand", threads);
        log("  " + who + " JVM CPU by thread, us per command: " + threads);
    }

    private static void w1(BenchConfig config, BenchReport report, AxonContender ours, AxonContender peer,
                           DataSource limitDb, EventTable limitTable, DataSource oursDb, CpuMeter cpu) throws Exception {
        W1NewPatients w1 = new W1NewPatients(config.w1WarmUp(), config.w1Measure());
        log("W1 warm-up: " + config.w1WarmUpPatients() + " patients on the peer and on ours");
        w1.warmUp(peer, config.w1WarmUpPatients());
        w1.warmUp(ours, config.w1WarmUpPatients());
        // Then until the JIT has settled (at most four windows' time each), at the lowest and highest concurrency,
        // ours with its read models running: the targets are about the code a running service executes.
        int fewest = config.w1Clients().stream().min(Integer::compare).orElse(1);
        int most = config.w1Clients().stream().max(Integer::compare).orElse(1);
        W1NewPatients round = new W1NewPatients(Duration.ZERO, Duration.ofSeconds(config.mode().equals("quick") ? 1 : 2));
        Map<String, Object> settled = new LinkedHashMap<>();
        for (AxonContender contender : List.of(peer, ours)) {
            JitSettle.Result r = JitSettle.run(config.w1Measure().multipliedBy(4), 0.05, () -> {
                round.commands(contender, fewest);
                if (most != fewest) round.commands(contender, most);
            });
            settled.put(contender == ours ? "ours" : "peer", r.describe());
            log(String.format("W1 warm-up until the JIT settles, %s: %d rounds, %.1f s, compiling %.0f %% of the last round%s",
                    contender == ours ? "ours" : "peer", r.rounds(), r.seconds(), r.lastRoundCompileShare() * 100,
                    r.settled() ? "" : " (not settled: the time limit)"));
        }
        report.extra().put("w1JitWarmUp", settled);
        MemorySampler memory = MemorySampler.start("W1");
        W3Rebuild readSide = new W3Rebuild(ours, oursDb, EventTable.SERVICE);
        List<Map<String, Object>> batched = new ArrayList<>();
        List<WorkloadResult> throughputRows = new ArrayList<>();
        for (int clients : config.w1Clients()) {
            log("W1 at " + clients + " clients: limit (one row per transaction)");
            ClosedLoop.Result limit = w1.limitOneRowPerTransaction(limitDb, limitTable, clients);
            log("W1 at " + clients + " clients: limit (batched, " + config.limitBatch() + " rows per transaction)");
            ClosedLoop.Result batch = w1.limitBatched(limitDb, limitTable, clients, config.limitBatch());
            log("W1 at " + clients + " clients: peer");
            ClosedLoop.Result p = w1.commands(peer, clients);
            log("W1 at " + clients + " clients: ours");
            statements(oursDb, true);
            double[] commitsBefore = ours.commitsAndCommands();
            long headBefore = readSide.headIndex();
            CpuMeter.Reading cpuBefore = cpu.read();
            ClosedLoop.Result o = w1.commands(ours, clients);
            double[] commitsAfter = ours.commitsAndCommands();
            // The read models run during the window; commands must not look fast by leaving them behind. What
            // they still had to process when the window closed is reported, and each window starts caught up.
            long backlog = readSide.backlog();
            long c0 = System.nanoTime();
            boolean caughtUp = readSide.awaitCaughtUp(config.w1CatchUpTimeout());
            double catchUpSeconds = (System.nanoTime() - c0) / 1e9;
            // Work per command, the read side's catch-up included (each W1 command appends one event).
            CpuMeter.Reading work = cpu.read().minus(cpuBefore);
            statements(oursDb, false);
            long commandsSent = readSide.headIndex() - headBefore;
            log("W1 at " + clients + " clients: read models were " + backlog + " events behind at the end of the window;"
                    + (caughtUp ? " caught up in " + String.format("%.1f", catchUpSeconds) + " s" : " not caught up in time"));
            Map<String, Object> details = new LinkedHashMap<>();
            latencies(details, "ours", o);
            perCommand(details, "ours", work, commandsSent);
            details.put("oursReadModelBacklogAtEndOfWindowEvents", backlog);
            details.put("oursReadModelCatchUpAfterWindowSeconds", catchUpSeconds);
            details.put("oursReadModelCaughtUpAfterWindow", caughtUp);
            if (commitsBefore != null && commitsAfter != null && commitsAfter[0] > commitsBefore[0]) {
                // Group commit: how many commands shared a transaction, over the warm-up and the measurement.
                details.put("oursCommandsPerEventStoreCommit",
                        (commitsAfter[1] - commitsBefore[1]) / (commitsAfter[0] - commitsBefore[0]));
            }
            latencies(details, "peer", p);
            latencies(details, "limit", limit);
            double batchedRows = batch.perSecond() * config.limitBatch();
            details.put("limitBatchedRowsPerSecond", batchedRows);
            details.put("ratioToLimitBatched", Stats.ratio(o.perSecond(), batchedRows));
            details.put("limitBatchedTransactionP50Ms", Latencies.of(Stats.nanosToMillis(batch.latencyNanos())).p50Ms());
            WorkloadResult throughput = Targets.w1Throughput(clients, o.perSecond(), p.perSecond(), limit.perSecond(), details);
            throughputRows.add(throughput);
            report.add(throughput);
            report.add(Targets.w1Latency(clients, "p50", (Double) details.get("oursP50Ms"), (Double) details.get("peerP50Ms"),
                    (Double) details.get("limitP50Ms")));
            report.add(Targets.w1Latency(clients, "p99", (Double) details.get("oursP99Ms"), (Double) details.get("peerP99Ms"),
                    (Double) details.get("limitP99Ms")));
            batched.add(Map.of("clients", clients, "rowsPerSecond", batchedRows, "rowsPerTransaction", config.limitBatch()));
        }
        report.extra().put("w1LimitBatched", batched);
        // Diagnosis, not a target: the command path alone, with the read models' processors shut down, shows
        // how much of ours' cost is the projections sharing the machine and the database.
        readSide.stopProcessors();
        // Short windows: every command here is backlog the read models must catch up with afterwards.
        W1NewPatients diagnosis = new W1NewPatients(Duration.ofSeconds(1),
                config.w1Measure().compareTo(Duration.ofSeconds(5)) < 0 ? config.w1Measure() : Duration.ofSeconds(5));
        long headBefore = readSide.headIndex();
        int level = 0;
        for (int clients : config.w1Clients()) {
            log("W1 at " + clients + " clients: ours with its read-model processors shut down (diagnosis)");
            long before = readSide.headIndex();
            CpuMeter.Reading cpuBefore = cpu.read();
            ClosedLoop.Result o = diagnosis.commands(ours, clients);
            CpuMeter.Reading work = cpu.read().minus(cpuBefore);
            Latencies l = Latencies.of(Stats.nanosToMillis(o.latencyNanos()));
            Map<String, Object> details = throughputRows.get(level++).details();
            details.put("oursWithoutReadModelsPerSecond", o.perSecond());
            details.put("oursWithoutReadModelsP50Ms", l.p50Ms());
            details.put("oursWithoutReadModelsP99Ms", l.p99Ms());
            perCommand(details, "oursWithoutReadModels", work, readSide.headIndex() - before);
        }
        long backlog = readSide.headIndex() - headBefore;
        log("W1: starting the read models again and letting them catch up with " + backlog + " events");
        long t0 = System.nanoTime();
        boolean caughtUp = readSide.startAndCatchUp(config.w1CatchUpTimeout());
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.extra().put("w1ReadModelCatchUp", Map.of("backlogEvents", backlog, "caughtUp", caughtUp, "seconds", seconds,
                "eventsPerSecond", backlog / seconds));
        MemorySampler.Peak peak = memory.stop();
        report.add(Targets.heap("W1", peak.heapMiB(), peak.details()));
        report.add(Targets.rss("W1", peak.rssMiB(), peak.details()));
    }

    /**
     * With -Dbench.pgStatements=true: resets pg_stat_statements of ours' database and the server's WAL statistics
     * before a window ({@code reset}), and logs its costliest statements and the WAL written after it. Otherwise
     * nothing.
     */
    private static void statements(DataSource oursDb, boolean reset) {
        if (!Boolean.getBoolean("bench.pgStatements")) return;
        try (var c = oursDb.getConnection(); var s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            if (reset) {
                s.execute("SELECT pg_stat_statements_reset()");
                s.execute("SELECT pg_stat_reset_shared('wal')");
                return;
            }
            // Server-wide, but only ours writes during its window: how much of the WAL is full-page images.
            try (var rs = s.executeQuery("SELECT wal_records, wal_fpi, wal_bytes, wal_write, wal_sync FROM pg_stat_wal")) {
                if (rs.next()) {
                    log(String.format("  pg wal: %d records, %d full-page images, %d bytes, %d writes, %d syncs",
                            rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
            try (var rs = s.executeQuery("SELECT calls, rows, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 110)"
                    + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    + " ORDER BY total_exec_time DESC LIMIT 25")) {
                while (rs.next()) {
                    log(String.format("  pg: %8d calls %9d rows %9.1f ms  %s", rs.getLong(1), rs.getLong(2), rs.getDouble(3),
                            rs.getString(4)));
                }
            }
        } catch (java.sql.SQLException e) {
            log("  pg_stat_statements unavailable: " + e.getMessage());
        }
    }

    private static void latencies(Map<String, Object> details, String who, ClosedLoop.Result r) {
        if (r.requests() == 0) throw new IllegalStateException(who + " completed no request in the measurement window");
        Latencies l = Latencies.of(Stats.nanosToMillis(r.latencyNanos()));
        details.put(who + "P50Ms", l.p50Ms());
        details.put(who + "P99Ms", l.p99Ms());
        details.put(who + "Requests", r.requests());
    }

    /** A closed loop's latencies in milliseconds, and the details each latency row reports with them. */
    private record LatencyRow(Latencies latencies, Map<String, Object> details) {
        static LatencyRow of(ClosedLoop.Result r, String how) {
            double[] ms = new double[r.latencyNanos().length];
            for (int i = 0; i < ms.length; i++) ms[i] = r.latencyNanos()[i] / 1e6;
            Latencies latencies = Latencies.of(ms);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("p50Ms", latencies.p50Ms());
            details.put("p99Ms", latencies.p99Ms());
            details.put("maxMs", Stats.percentile(ms, 100));
            details.put("samples", latencies.count());
            details.put("how", how);
            return new LatencyRow(latencies, details);
        }
    }

    private static void w5(BenchConfig config, BenchReport report, AxonContender ours) throws Exception {
        W5WriteToVisible w5 = new W5WriteToVisible(config.w1WarmUp(), config.w1Measure());
        for (int clients : List.of(1, 8)) {
            log("W5: write to visible, " + clients + " client(s)");
            LatencyRow row = LatencyRow.of(w5.run(ours, clients), "each client registers a patient and records its first"
                    + " injection through the CommandGateway; after each acknowledgement it waits as a patient read does"
                    + " (ReadYourWrites.awaitVisible) until the read models hold the event; one node, processors woken by commits");
            report.add(Targets.w5WriteToVisible(clients, row.latencies(), row.details()));
        }
    }

    private static void w6Lag(BenchConfig config, BenchReport report, AxonContender ours, DataSource oursDb) throws Exception {
        W6Integrity w6 = new W6Integrity(ours, oursDb);
        w6.awaitAllSealed(Duration.ofMinutes(5));
        for (int clients : List.of(1, 8)) {
            log("W6: sealing lag, " + clients + " client(s)");
            LatencyRow row = LatencyRow.of(w6.sealingLag(clients, config.w1WarmUp(), config.w1Measure()),
                    "each client registers a patient through the CommandGateway and polls (every 2 ms) until the"
                    + " event's leaf exists; leaves and their checkpoint commit together; seal interval as deployed");
            report.add(Targets.w6SealingLag(clients, row.latencies(), row.details()));
        }
    }

    private static void w6Store(BenchReport report, AxonContender ours, DataSource oursDb) throws Exception {
        W6Integrity w6 = new W6Integrity(ours, oursDb);
        String patient = w6.writePatient(100);
        log("W6: waiting until the store is sealed");
        double[] sealed = w6.awaitAllSealed(Duration.ofMinutes(10));
        log("W6: whole-store verify");
        W6Integrity.VerifyRun run = w6.verifyStore();
        check(!run.verified(), "W6: the whole-store check failed: " + run.mismatch());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("treeSize", run.treeSize());
        details.put("checkpointsChecked", run.checkpoints());
        details.put("seconds", run.seconds());
        details.put("backlogSealedBeforeVerify", sealed[1]);
        details.put("backlogSealingSeconds", sealed[0]);
        details.put("how", "StoreVerifier.verify(), POST /api/admin/ledger/verify's work: leaves and events streamed side by"
                + " side, every leaf recomputed, the tree recomputed and compared with every stored node, every checkpoint's"
                + " signature and root checked");
        report.add(Targets.w6Verify(run.perSecond(), details));

        log("W6: evidence bundle of a 100-entry patient");
        W6Integrity.Bundle bundle = w6.evidence(patient, 20, 200);
        double[] ms = new double[bundle.latencyNanos().length];
        for (int i = 0; i < ms.length; i++) ms[i] = bundle.latencyNanos()[i] / 1e6;
        Latencies latencies = Latencies.of(ms);
        Map<String, Object> bundleDetails = new LinkedHashMap<>();
        bundleDetails.put("p50Ms", latencies.p50Ms());
        bundleDetails.put("p99Ms", latencies.p99Ms());
        bundleDetails.put("samples", latencies.count());
        bundleDetails.put("entries", bundle.entries());
        bundleDetails.put("treeSize", bundle.treeSize());
        bundleDetails.put("how", "EvidenceService.evidence(patient), GET /api/patients/{id}/evidence's work without HTTP"
                + " and JSON: latest checkpoint, the patient's leaves joined to their events, every proof's nodes in one query");
        report.add(Targets.w6Evidence(latencies, bundleDetails));
        report.add(Targets.w6ProofSize(32L * bundle.longestProof(), bundle.treeSize(),
                Map.of("hashes", bundle.longestProof(), "treeSize", bundle.treeSize())));
    }

    private static void w7(BenchConfig config, BenchReport report, AxonContender ours, DataSource oursDb) throws Exception {
        W6Integrity store = new W6Integrity(ours, oursDb);
        int patients = config.mode().equals("quick") ? 20 : 100;
        log("W7: FHIR bundle of a 100-entry patient; bulk export over " + patients + " more 100-entry patients");
        String patient = store.writePatient(100);
        W7Fhir w7 = new W7Fhir(ours);
        W7Fhir.BundleRun run = w7.bundle(patient, BenchData.CLINIC, 20, 200);
        double[] ms = new double[run.latencyNanos().length];
        for (int i = 0; i < ms.length; i++) ms[i] = run.latencyNanos()[i] / 1e6;
        Latencies latencies = Latencies.of(ms);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("p50Ms", latencies.p50Ms());
        details.put("p99Ms", latencies.p99Ms());
        details.put("samples", latencies.count());
        details.put("resources", run.resources());
        details.put("jsonBytes", run.jsonBytes());
        if (w7.lastWarmUp != null) details.put("jitWarmUp", w7.lastWarmUp.describe());
        // Where the slowest reads fell in the sequence: early ones point at warm-up, scattered ones at pauses.
        details.put("slowestSamples", java.util.stream.IntStream.range(0, ms.length).boxed()
                .sorted((a, b) -> Double.compare(ms[b], ms[a])).limit(5)
                .map(i -> Map.of("sample", i, "ms", Math.round(ms[i] * 10) / 10.0)).toList());
        details.put("how", "FhirExport.bundle(patient) and its JSON: GET /api/patients/{id}/fhir's work without HTTP (the"
                + " patient read path with its read-your-writes check, the history read model, the integrity seals, the"
                + " mapping, HAPI's JSON parser)");
        report.add(Targets.w7Bundle(latencies, details));

        for (int i = 0; i < patients; i++) store.writePatient(100);
        // Every one in the read models before the clock starts (a patient read would wait for them otherwise).
        w7.bundle(store.writePatient(1), BenchData.CLINIC, 1, 1);
        W7Fhir.BulkRun bulk = w7.bulk(BenchData.CLINIC, Duration.ofMinutes(10));
        Map<String, Object> bulkDetails = new LinkedHashMap<>();
        bulkDetails.put("patients", bulk.patients());
        bulkDetails.put("resources", bulk.resources());
        bulkDetails.put("seconds", bulk.seconds());
        bulkDetails.put("how", "BulkExport over every patient of the bench clinic (those of the workloads before it too),"
                + " every resource type, NDJSON files in a temporary directory");
        report.add(Targets.w7BulkExport(bulk.perSecond(), bulkDetails));
    }

    private static void w2(BenchConfig config, BenchReport report, AxonContender ours, DataSource oursDb) throws Exception {
        log("W2: " + config.w2Entries() + " entries on one patient (after " + 2 * config.w2Window() + " on a warm-up patient)");
        W2LongHistory.Result r = new W2LongHistory(ours, oursDb).run(config.w2Entries(), config.w2Loads(), 2 * config.w2Window());
        double start = Stats.median(Stats.first(r.appendMillis(), config.w2Window()));
        double end = Stats.median(Stats.last(r.appendMillis(), config.w2Window()));
        Map<String, Object> appendDetails = new LinkedHashMap<>();
        appendDetails.put("entries", config.w2Entries());
        appendDetails.put("p99AllAppendsMs", Stats.percentile(r.appendMillis(), 99));
        appendDetails.put("mix", "40% photo checkpoint, 20% cycle factor, 20% side effect reported, 20% resolved; an hour apart");
        appendDetails.put("warmUpEntriesOnAnotherPatient", 2 * config.w2Window());
        report.add(Targets.w2Append(end, start, config.w2Window(), appendDetails));
        Map<String, Object> loadDetails = new LinkedHashMap<>();
        loadDetails.put("loadsEach", r.loads());
        loadDetails.put("cacheBeansCleared", r.cachesCleared());
        loadDetails.putAll(r.snapshot());
        // Every load decrypts what it reads after the snapshot (birth year, notes, photo URIs); keys as cached.
        loadDetails.put("personalData", r.personalData());
        loadDetails.put("how", "service's Repository<Patient>.load in a fresh unit of work, Axon caches cleared before each load;"
                + " median of interleaved loads after 5 warm-up loads");
        report.add(Targets.w2Load(r.loadLargeMs(), r.loadSmallMs(), r.largeEvents(), r.smallEvents(), loadDetails));
    }

    private List<PatientId> w3(BenchConfig config, BenchReport report, AxonContender[] ours,
                                                             BenchPostgres pg, EventTable table) throws Exception {
        DataSource oursDb = pg.dataSource(OURS_DB);
        W3Rebuild w3 = new W3Rebuild(ours[0], oursDb, table);
        log("W3: stopping the service's processors, bulk-writing " + config.w3Events() + " events");
        w3.stopProcessors();
        MemorySampler memory = MemorySampler.start("W3");
        // Stored as the service stores them: personal fields encrypted, each patient's data key wrapped by its KEK.
        BulkWriter.Result bulk = w3.bulkWrite(config.w3Events(), 2, ServiceKek.of(ours[0]));
        log("W3: bulk-wrote " + bulk.eventsWritten() + " events of " + bulk.patients() + " patients (personal fields"
                + " encrypted, " + bulk.dataKeys() + " data keys) in " + String.format("%.1f", bulk.seconds()) + " s");
        w3.settle();
        W3Rebuild.Ciphertext ciphertext = w3.ciphertext();
        log("W3: " + ciphertext.withCiphertext() + " of " + ciphertext.events() + " events hold encrypted personal fields;"
                + " the rebuild decodes " + ciphertext.withCiphertextDecodedByRebuild() + " of them");
        // Sealed before the rebuild is timed, as a deployed store is (each event within seconds of its write): sealing
        // a million events written behind the service's back is a cost of its own, reported here, not the rebuild's.
        log("W3: waiting until the tamper-evident log has sealed the bulk-written events");
        double[] sealed = new W6Integrity(ours[0], oursDb).awaitAllSealed(Duration.ofMinutes(10));
        log("W3: sealed " + (long) sealed[1] + " events in " + String.format("%.1f", sealed[0]) + " s");
        long events = w3.countEvents();
        report.sizes().put("w3EventsInStore", events);
        log("W3: " + events + " events in the store; raw scan");
        W3Rebuild.ScanResult scan1 = w3.rawScan();
        log("W3: replaying every read model" + (oursArgs.isEmpty() ? " (as deployed)" : " (with the --ours: overrides)"));
        W3Rebuild.ReplayResult replay = w3.replay(events, config.w3ReplayTimeout());
        if (replay.timedOut()) log("W3: replay NOT caught up after " + config.w3ReplayTimeout().toSeconds() + " s; slowest read model at "
                + replay.slowestPosition() + " of " + replay.headIndex());
        W3Rebuild.ScanResult scan2 = w3.rawScan();
        W3Rebuild.ScanResult best = scan1.perSecond() >= scan2.perSecond() ? scan1 : scan2;
        attempt("CRYPTO (W3 store)", () -> report.add(storeDecryption(oursDb, table, bulk.samplePatients(), ours[0])));
        Map<String, Object> details = replayDetails(replay, events);
        details.put("rawScanEventsPerSecond", List.of(scan1.perSecond(), scan2.perSecond()));
        details.put("rawScanPayloadAndMetadataMiB", best.payloadBytes() / 1048576.0);
        details.put("bulkWriteEventsPerSecond", bulk.eventsWritten() / bulk.seconds());
        details.put("bulkWriteSeconds", bulk.seconds());
        Map<String, Object> personal = new LinkedHashMap<>();
        personal.put("bulkFixture", "personal fields encrypted by the event store's serializer (PersonalDataSerializer),"
                + " one data key per patient in ledger_data_key wrapped by the service's KEK (" + bulk.dataKeys() + " keys)");
        personal.put("eventsWithCiphertext", ciphertext.withCiphertext());
        personal.put("eventsWithCiphertextTheRebuildDecodes", ciphertext.withCiphertextDecodedByRebuild());
        personal.put("typesTheRebuildDecodes", ciphertext.typesTheRebuildDecodes());
        personal.put("liveDataKeys", ciphertext.liveDataKeys());
        personal.put("how", "the rebuild copies the stored payloads (ciphertext) into ledger_event without reading them and"
                + " decodes only the event types of the derived rows (durability, lots: typesTheRebuildDecodes); the read"
                + " models decrypt the rest at query time (CRYPTO's W3-store row: the cost per event decoded)");
        details.put("personalData", personal);
        details.put("sealedBeforeReplay", Map.of("events", sealed[1], "seconds", sealed[0],
                "eventsPerSecond", sealed[0] > 0 ? sealed[1] / sealed[0] : 0));
        details.put("limitIs", "the faster of two raw scans (before and after the replay)");
        String config0 = oursArgs.isEmpty() ? "as deployed" : "with the --ours: overrides";
        report.add(Targets.w3Rebuild("read-model rebuild, " + config0 + (replay.timedOut() ? " (did not finish: rate achieved)" : ""),
                replay.perSecond(), best.perSecond(), details));
        W3Rebuild.ReplayResult last = replay;
        W3Rebuild lastRebuild = w3;
        MemorySampler.Peak peak = memory.stop();
        report.add(Targets.heap("W3 (bulk write, raw scans, replay of " + events + " events)", peak.heapMiB(), peak.details()));
        report.add(Targets.rss("W3", peak.rssMiB(), peak.details()));
        List<PatientId> readable = last.timedOut()
                ? lastRebuild.completeUpTo(bulk.samplePatients(), last.slowestPosition()) : bulk.samplePatients();
        Map<String, Object> w4Patients = new LinkedHashMap<>();
        w4Patients.put("sampledFromTheBulkStore", bulk.samplePatients().size());
        w4Patients.put("fullyReplayed", readable.size());
        if (readable.isEmpty()) {
            // The rebuild did not reach the bulk-written patients: read whatever patients are fully replayed.
            readable = lastRebuild.anyCompleteUpTo(last.slowestPosition(), W3Rebuild.EVENTS_PER_PATIENT, 200);
            w4Patients.put("fallback", "the rebuild reached no bulk-written patient: W4 reads " + readable.size()
                    + " random patients of at most " + W3Rebuild.EVENTS_PER_PATIENT + " events that are fully in the read models"
                    + " (W1's patients: registration and one injection)");
        }
        report.extra().put("w4Patients", w4Patients);
        return readable;
    }

    /**
     * What decrypting costs a read model per event of W3's store: the sampled patients' events decoded by the read
     * models' own EventCodec (the service's data keys: the first pass reads them from ledger_data_key, later ones
     * hit its key cache) against the same codec without keys (personal fields read as null, no cryptography).
     */
    private static WorkloadResult storeDecryption(DataSource db, EventTable table, List<PatientId> patients,
                                                  AxonContender ours) throws Exception {
        log("CRYPTO: decoding the events of " + patients.size() + " W3 patients with the service's data keys and without");
        CryptoCost.StoreSample r = CryptoCost.sampleStore(db, table, patients, ours.context().getBean(EventCodec.class), 10);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("events", r.events());
        details.put("patients", r.patients());
        details.put("personalValuesDecrypted", r.personalValues());
        details.put("personalValuesPerEvent", (double) r.personalValues() / r.events());
        details.put("firstPassUsPerEvent (keys read from ledger_data_key)", r.coldUs());
        // An upper bound: the first pass also runs the decryption code for the first time in this process.
        details.put("keyLookUpUsPerPatient (first pass minus a later one)",
                (r.coldUs() - r.decryptedUs()) * r.events() / r.patients());
        details.put("rounds", r.rounds());
        details.put("how", "CryptoCost.sampleStore: the stored payloads of W3's sampled patients decoded by the service's"
                + " EventCodec (the read models' decoder; AES-256-GCM with the data keys of its DataKeyStore) and by an"
                + " EventCodec without keys, alternately; limit = without keys");
        return new WorkloadResult("CRYPTO", 1, "read model's decode per event of W3's store (service's keys)", "µs",
                r.decryptedUs(), null, r.plainUs(), r.decryptedUs() / r.plainUs(), null, null, null,
                "decryption adds " + String.format("%.2f", r.readCostUs()) + " µs per event ("
                        + String.format("%.2f", (double) r.personalValues() / r.events()) + " personal values per event)", details);
    }

    private static Map<String, Object> replayDetails(W3Rebuild.ReplayResult replay, long events) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventsInStore", events);
        details.put("replaySeconds", replay.seconds());
        details.put("replayTimedOut", replay.timedOut());
        details.put("eventsReplayedBySlowestReadModel", replay.events());
        details.put("headIndex", replay.headIndex());
        details.put("processors", replay.processors());
        details.put("processorStatus", replay.status());
        return details;
    }

    private static final String ACCESS_AUDIT = "org.treatmentledger.api.audit.AccessAudit";

    private static void w4(BenchConfig config, BenchReport report, AxonContender ours,
                           List<PatientId> patients) {
        log("W4: reads on " + patients.size() + " patients of the store");
        Map<String, Latencies> reads = new W4Reads(ours.queries()).run(patients, config.w4WarmUp(), config.w4Queries());
        for (Map.Entry<String, Latencies> e : reads.entrySet()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("p50Ms", e.getValue().p50Ms());
            details.put("p99Ms", e.getValue().p99Ms());
            details.put("queries", e.getValue().count());
            details.put("how", "QueryGateway, one client, optionalInstanceOf(view), patients of the W3 store");
            report.add(Targets.w4Read(e.getKey(), e.getValue(), details));
        }
        // The same reads with what issue 15 adds at the HTTP edge: the patient's clinic checked and the access
        // record committed before the answer (AccessAudit.recordRead; one client, so no group commit shared).
        // Reached by name, as W5 reaches the service: in a reactor build ledger-api is a repackaged Spring Boot jar.
        Object audit;
        Method recordRead;
        try {
            Class<?> type = Class.forName(ACCESS_AUDIT, true, ours.context().getClassLoader());
            audit = ours.context().getBean(type);
            recordRead = type.getMethod("recordRead", String.class, String.class, Set.class, String.class, String.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the service has no " + ACCESS_AUDIT, e);
        }
        DataSource oursDb = ours.context().getBean(DataSource.class);
        double[] sealBefore = accessSealTimer(ours);
        long leavesBefore = count(oursDb, "SELECT count(*) FROM access_leaf");
        Map<String, Latencies> audited = new W4Reads(ours.queries()).run(patients, config.w4WarmUp(), config.w4Queries(),
                (kind, id) -> {
                    try {
                        recordRead.invoke(audit, "bench", "AUDITOR", Set.of(BenchData.CLINIC), id.value(), "GET " + kind);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                });
        for (Map.Entry<String, Latencies> e : audited.entrySet()) {
            Latencies without = reads.get(e.getKey());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("p50Ms", e.getValue().p50Ms());
            details.put("p99Ms", e.getValue().p99Ms());
            details.put("queries", e.getValue().count());
            details.put("auditCostPerReadP50Ms", e.getValue().p50Ms() - without.p50Ms());
            details.put("auditCostPerReadP99Ms", e.getValue().p99Ms() - without.p99Ms());
            details.put("how", "as the row without the audit, plus the clinic check and one committed access record per read");
            report.add(Targets.w4Read(e.getKey() + " with the access audit", e.getValue(), details));
        }
        report.add(accessSealing(ours, oursDb, System.nanoTime(), sealBefore, leavesBefore));
    }

    /**
     * The access log's sealer (api.audit.AccessSealer) turns the audited reads' records into leaves of the access
     * log's tree and signs checkpoints, beside the reads and off their path: the rows above already include its
     * competition for the cores. Reported: its cost per 1,000 records (its transactions' time, from the service's
     * timer ledger.audit.seal), and how long after the last audited read its record was in a signed checkpoint.
     */
    private static WorkloadResult accessSealing(AxonContender ours, DataSource db, long lastReadNanos,
                                                double[] before, long leavesBefore) {
        long lastRecord = count(db, "SELECT coalesce(max(id), 0) FROM access_log");
        long deadline = System.nanoTime() + 30_000_000_000L;
        Double lagMs = null;
        while (System.nanoTime() < deadline) {
            if (count(db, "SELECT count(*) FROM access_leaf l JOIN access_checkpoint c ON l.leaf_index < c.tree_size "
                    + "WHERE l.record_id = " + lastRecord) > 0) {
                lagMs = (System.nanoTime() - lastReadNanos) / 1e6;
                break;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        double[] after = accessSealTimer(ours);
        long sealed = count(db, "SELECT count(*) FROM access_leaf") - leavesBefore;
        double sealMs = after[1] - before[1];
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("recordsSealed", sealed);
        details.put("sealingTransactions", (long) (after[0] - before[0]));
        details.put("sealingMs", sealMs);
        details.put("lastReadToSignedCheckpointMs", lagMs);
        details.put("how", "the service's own sealer at its default interval during the audited W4 reads; no work on the "
                + "read path (a read waits for its record's commit only)");
        return Targets.w4AccessSealing(sealed == 0 ? null : sealMs * 1000.0 / sealed, details);
    }

    /** Count and total milliseconds of the service's access-log sealing timer (zeros without one). */
    private static double[] accessSealTimer(AxonContender ours) {
        for (var registry : ours.context().getBeansOfType(io.micrometer.core.instrument.MeterRegistry.class).values()) {
            var timer = registry.find("ledger.audit.seal").timer();
            if (timer != null) return new double[] {timer.count(), timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)};
        }
        return new double[] {0, 0};
    }

    private static long count(DataSource db, String sql) {
        try (var con = db.getConnection(); var st = con.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void machine(BenchReport report) {
        Map<String, Object> m = report.machine();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryMiB", MemInfo.totalMiB());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvmArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576.0);
        m.put("loadAverageAtStart", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        m.put("startedAt", Instant.now().toString());
    }

    /** Total memory from /proc/meminfo. */
    static final class MemInfo {
        static long totalMiB() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            } catch (Exception e) {
                return -1;
            }
            return -1;
        }
    }
}
