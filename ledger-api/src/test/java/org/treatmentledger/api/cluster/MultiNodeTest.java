package org.treatmentledger.api.cluster;

import org.treatmentledger.api.rebuild.ClusterRebuilds;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerNodes;
import org.treatmentledger.api.rebuild.LedgerHistoryGenerator;
import org.treatmentledger.api.rebuild.ReadModelSnapshot;
import org.treatmentledger.api.commands.ConflictRetryScheduler;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.rebuild.RebuildProgress;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two ledger nodes (two Spring application contexts, real HTTP) on ONE embedded PostgreSQL, no Axon Server:
 * concurrent writes to the same patients through both nodes lose and duplicate nothing, the read models' segments
 * are spread over both nodes, a cluster-wide rebuild stops both nodes' processors before the reset, and when one
 * node dies mid-stream the survivor takes all its segments over within the claim timeout and its read models
 * equal a full rebuild.
 */
class MultiNodeTest {

    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(3);
    private static final int SEGMENTS = 4;
    private static final Pattern ENTRY_ID = Pattern.compile("\"entryId\":\"([^\"]+)\"");

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private JdbcTemplate jdbc;

    private record Node(String id, ConfigurableApplicationContext context, Http http) {
        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }
    }

    private record Write(String node, String patient, int status, String entryId, String code, boolean retryable,
                         String retryAfter) { }

    @Test
    void two_nodes_share_one_postgresql() throws Exception {
        long started = System.nanoTime();
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
        HikariDataSource testDs = new HikariDataSource();
        testDs.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        testDs.setUsername("postgres");
        testDs.setMaximumPoolSize(3);
        jdbc = new JdbcTemplate(testDs);

        Node a = start("node-a");
        Node b = start("node-b");

        // ---- segments spread over both live nodes --------------------------------------------------------
        awaitSpread(Duration.ofSeconds(30), "node-a", "node-b");

        // ---- concurrent writes to the same patients through both nodes -----------------------------------
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 3; i++) patients.add(register(a));
        LedgerHistoryGenerator history1 = new LedgerHistoryGenerator(a.bean(CommandGateway.class), 611L);
        List<Write> phase1 = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> running = new ArrayList<>();
        // At least 15 writes per thread, then on until two nodes have raced for a patient at least once (a race is
        // likely but not certain in 60 writes on a busy machine), for 30 s at most.
        AtomicBoolean writing = new AtomicBoolean(true);
        for (int t = 0; t < 4; t++) {
            Node via = t < 2 ? a : b;
            running.add(pool.submit(() -> write(via, patients, Integer.MAX_VALUE, writing, phase1)));
        }
        running.add(pool.submit(() -> history1.generate(3, 3)));
        long writeDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < writeDeadline && (phase1.size() < 60 || retries(a, b) == 0)) Thread.sleep(20);
        writing.set(false);
        for (Future<?> f : running) f.get();

        assertThat(phase1).allSatisfy(w -> assertThat(w.status() == 201 || isRetryableConflict(w)).as(w.toString()).isTrue());
        List<String> acknowledged1 = phase1.stream().filter(w -> w.status() == 201).map(Write::entryId).toList();
        assertThat(acknowledged1).hasSizeGreaterThan(45);
        long conflicts = retries(a, b);
        assertThat(conflicts).as("writes that lost a race and were retried on fresh state").isPositive();
        Map<String, Integer> stored1 = storedEntryIds(patients);
        for (String id : acknowledged1) assertThat(stored1.get(id)).as("acknowledged entry " + id).isEqualTo(1);
        // Registrations + acknowledged writes, nothing else: a 409 recorded nothing, no event was stored twice.
        assertThat(countEvents(patients)).isEqualTo(patients.size() + acknowledged1.size());
        assertThat(stored1.values()).allMatch(n -> n == 1);

        // ---- cluster-wide rebuild requested on node B, with both nodes running ---------------------------
        awaitCaughtUp(Duration.ofSeconds(60), a, b);
        List<PatientId> viewed = new ArrayList<>(history1.patients);
        Map<String, String> live = snapshot(a, viewed, history1);
        // The read models share one processor: one request rebuilds all six; another read model's request
        // while it is pending is refused.
        Http.Response r = b.http().post("clinician", "/api/admin/rebuilds/" + ReadModels.SCHEDULE, "");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.json().get("request").get("state").asText()).isEqualTo("PENDING");
        Http.Response again = a.http().post("clinician", "/api/admin/rebuilds/history", "");
        assertThat(again.status()).isIn(202, 409);
        if (again.status() == 409) assertThat(again.text("code")).isEqualTo("REBUILD_PENDING");
        awaitRebuilt(Duration.ofSeconds(60), Set.of("node-a", "node-b"), a);
        awaitCaughtUp(Duration.ofSeconds(60), a, b);
        ReadModelSnapshot.assertSame(snapshot(a, viewed, history1), live);
        awaitSpread(Duration.ofSeconds(30), "node-a", "node-b");

        // ---- node B dies mid-stream; node A takes its segments over ---------------------------------------
        LedgerHistoryGenerator history2 = new LedgerHistoryGenerator(a.bean(CommandGateway.class), 612L);
        List<Write> phase2 = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean bAlive = new AtomicBoolean(true);
        AtomicBoolean aWriting = new AtomicBoolean(true);
        running.clear();
        for (int t = 0; t < 4; t++) {
            Node via = t < 2 ? a : b;
            AtomicBoolean go = t < 2 ? aWriting : bAlive;
            running.add(pool.submit(() -> write(via, patients, Integer.MAX_VALUE, go, phase2)));
        }
        running.add(pool.submit(() -> history2.generate(3, 2)));
        awaitAcknowledged(phase2, "node-b", 10, Duration.ofSeconds(30));

        long killedAt = System.nanoTime();
        bAlive.set(false);
        crash(b);
        Duration takeover = awaitOwnsAll("node-a", killedAt, Duration.ofSeconds(30));
        System.out.printf("MultiNodeTest: node-a owned all %d segments %d ms after node-b died (claim timeout %d ms)%n",
                SEGMENTS, takeover.toMillis(), CLAIM_TIMEOUT.toMillis());
        assertThat(takeover).isLessThan(CLAIM_TIMEOUT.plusSeconds(10));

        Thread.sleep(500); // node A keeps writing alone for a moment
        aWriting.set(false);
        for (Future<?> f : running) f.get();
        pool.shutdown();

        assertThat(phase2.stream().filter(w -> w.node().equals("node-a")))
                .allSatisfy(w -> assertThat(w.status() == 201 || isRetryableConflict(w)).as(w.toString()).isTrue());
        List<String> acknowledged2 = phase2.stream().filter(w -> w.status() == 201).map(Write::entryId).toList();
        Map<String, Integer> stored2 = storedEntryIds(patients);
        for (String id : acknowledged1) assertThat(stored2.get(id)).as("acknowledged entry " + id).isEqualTo(1);
        for (String id : acknowledged2) assertThat(stored2.get(id)).as("acknowledged entry " + id).isEqualTo(1);
        assertThat(stored2.values()).as("no entry stored twice").allMatch(n -> n == 1);

        // ---- the survivor's read models equal a full rebuild ---------------------------------------------
        awaitCaughtUp(Duration.ofSeconds(60), a);
        viewed.addAll(history2.patients);
        Map<String, String> survivor = snapshot(a, viewed, history1, history2);
        assertThat(a.http().post("clinician", "/api/admin/rebuilds/" + ReadModels.LOTS, "").status()).isEqualTo(202);
        awaitRebuilt(Duration.ofSeconds(60), Set.of("node-a"), a);
        awaitCaughtUp(Duration.ofSeconds(60), a);
        ReadModelSnapshot.assertSame(snapshot(a, viewed, history1, history2), survivor);

        System.out.printf("MultiNodeTest: %d + %d acknowledged concurrent writes, %d conflict retries, %.1f s in all%n",
                acknowledged1.size(), acknowledged2.size(), conflicts, (System.nanoTime() - started) / 1e9);
        testDs.close();
    }

    // ---- nodes ---------------------------------------------------------------------------------------

    private Node start(String id) {
        ConfigurableApplicationContext context = LedgerNodes.start(postgres.getJdbcUrl("postgres", "postgres"), id,
                "--axon.eventhandling.tokenstore.claim-timeout=" + CLAIM_TIMEOUT.toMillis() + "ms",
                "--ledger.axon.token-claim-interval=300ms",
                "--ledger.cluster.rebuild-poll-interval=300ms",
                "--ledger.cluster.segments=" + SEGMENTS);
        contexts.add(context);
        return new Node(id, context, new Http(LedgerNodes.port(context)));
    }

    /** A crash as far as the cluster can tell: the node loses its database, then stops without releasing claims. */
    private static void crash(Node node) {
        ((HikariDataSource) node.bean(DataSource.class)).close();
        node.context().close();
    }

    @org.junit.jupiter.api.AfterEach
    void stopAll() throws Exception {
        for (ConfigurableApplicationContext c : contexts) if (c.isActive()) c.close();
        if (postgres != null) postgres.close();
    }

    // ---- writes ----------------------------------------------------------------------------------------

    private static String register(Node node) {
        Http.Response r = node.http().post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"birthYear\":1985,\"registeredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(200, ChronoUnit.DAYS) + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }

    private static void write(Node node, List<String> patients, int count, AtomicBoolean go, List<Write> out) {
        for (int i = 0; i < count && go.get(); i++) {
            String patient = patients.get(i % patients.size());
            String body = "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"note\":\"n%d\"}"
                    .formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(5, ChronoUnit.DAYS), i);
            try {
                Http.Response r = node.http().post("injector", "/api/patients/" + patient + "/cycle-factors", body,
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                boolean retryable = r.json() != null && r.json().has("retryable") && r.json().get("retryable").asBoolean();
                out.add(new Write(node.id(), patient, r.status(), r.text("entryId"), r.text("code"), retryable,
                        r.header("Retry-After")));
            } catch (RuntimeException e) {
                out.add(new Write(node.id(), patient, -1, null, e.getClass().getSimpleName(), false, null));
            }
        }
    }

    private static long retries(Node a, Node b) {
        return a.bean(ConflictRetryScheduler.class).retries() + b.bean(ConflictRetryScheduler.class).retries();
    }

    private static boolean isRetryableConflict(Write w) {
        return w.status() == 409 && "CONCURRENT_MODIFICATION".equals(w.code()) && w.retryable() && w.retryAfter() != null;
    }

    private static void awaitAcknowledged(List<Write> writes, String node, int n, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (writes.stream().filter(w -> w.node().equals(node) && w.status() == 201).count() < n) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError(node + " acknowledged fewer than " + n + " writes");
            Thread.sleep(50);
        }
    }

    /** Entry id -> how many stored events carry it, over the given patients' streams. */
    private Map<String, Integer> storedEntryIds(List<String> patients) {
        Map<String, Integer> ids = new HashMap<>();
        for (String patient : patients) {
            for (String payload : jdbc.queryForList("SELECT convert_from(payload, 'UTF8') FROM domainevententry "
                    + "WHERE aggregateidentifier = ?", String.class, patient)) {
                Matcher m = ENTRY_ID.matcher(payload);
                if (m.find()) ids.merge(m.group(1), 1, Integer::sum);
            }
        }
        return ids;
    }

    private long countEvents(List<String> patients) {
        long n = 0;
        for (String p : patients) {
            n += jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?", Long.class, p);
        }
        return n;
    }

    // ---- segments and read models ----------------------------------------------------------------------

    private Map<String, Map<String, Integer>> owners() {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        jdbc.query("SELECT processorname, owner, count(*) AS n FROM tokenentry WHERE owner IS NOT NULL GROUP BY processorname, owner",
                rs -> { out.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3)); });
        return out;
    }

    /** Every read model's segments are all claimed, each node holding its fair share (never all of them). */
    private void awaitSpread(Duration within, String... nodes) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        int share = SEGMENTS / nodes.length;
        while (true) {
            Map<String, Map<String, Integer>> owners = owners();
            Map<String, Integer> byNode = owners.getOrDefault(ReadModels.PROCESSOR, Map.of());
            boolean spread = owners.keySet().equals(Set.of(ReadModels.PROCESSOR))
                    && byNode.keySet().equals(Set.of(nodes)) && byNode.values().stream().allMatch(n -> n == share);
            if (spread) return;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("segments not spread over " + List.of(nodes) + ": " + owners);
            Thread.sleep(100);
        }
    }

    private Duration awaitOwnsAll(String node, long from, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Map<String, Map<String, Integer>> owners = owners();
            boolean all = owners.equals(Map.of(ReadModels.PROCESSOR, Map.of(node, SEGMENTS)));
            if (all) return Duration.ofNanos(System.nanoTime() - from);
            if (Instant.now().isAfter(deadline)) throw new AssertionError(node + " did not take every segment over: " + owners);
            Thread.sleep(50);
        }
    }

    /** Every segment of every read model, over the given nodes, has processed the head of the event store. */
    private void awaitCaughtUp(Duration within, Node... nodes) throws InterruptedException {
        Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
        Instant deadline = Instant.now().plus(within);
        while (true) {
            boolean all = true;
            List<RebuildProgress> seen = new ArrayList<>();
            for (String group : ReadModels.READ_MODELS) {
                int segments = 0;
                for (Node node : nodes) {
                    RebuildProgress p = node.bean(ReadModelRebuilds.class).progress(group);
                    seen.add(p);
                    segments += p.segments();
                    if (p.segments() > 0 && (p.replaying() || p.position() == null || p.position() < head)) all = false;
                }
                if (segments != SEGMENTS) all = false;
            }
            if (all) return;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("not caught up with " + head + ": " + seen);
            Thread.sleep(100);
        }
    }

    /**
     * Every read model's latest rebuild request is RUNNING, acknowledged by the given nodes, without a detail
     * (a detail would say the bulk copy failed and the processors replayed event by event instead).
     */
    private void awaitRebuilt(Duration within, Set<String> nodes, Node via) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        ClusterRebuilds rebuilds = via.bean(ClusterRebuilds.class);
        while (true) {
            List<ClusterRebuilds.Request> latest = ReadModels.READ_MODELS.stream()
                    .map(g -> rebuilds.latest(g).orElseThrow()).toList();
            if (latest.stream().allMatch(r -> r.state().equals("RUNNING") && Set.copyOf(r.acknowledgedBy()).equals(nodes))) {
                assertThat(latest).allMatch(r -> r.detail() == null);
                return;
            }
            assertThat(latest).noneMatch(r -> r.state().equals("FAILED"));
            if (Instant.now().isAfter(deadline)) throw new AssertionError("rebuilds not carried out: " + latest);
            Thread.sleep(100);
        }
    }

    private static Map<String, String> snapshot(Node node, List<PatientId> patients, LedgerHistoryGenerator first,
                                                LedgerHistoryGenerator... more) throws Exception {
        Set<String> lots = new TreeSet<>(first.lotsUsed);
        for (LedgerHistoryGenerator g : more) lots.addAll(g.lotsUsed);
        return ReadModelSnapshot.take(node.bean(QueryGateway.class), node.bean(JdbcTemplate.class), patients,
                first.midpoint, lots);
    }
}
