package org.treatmentledger.api.integrity;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerNodes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one PostgreSQL, both sealing, with group commit (the default) and concurrent writes through both:
 * every stored event gets exactly one leaf and the whole-store check passes. A transaction that took a low global
 * index and commits late holds the seal back instead of being skipped; a rolled-back one leaves a gap the sealer
 * passes.
 */
class IntegrityMultiNodeTest {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private HikariDataSource testDs;
    private JdbcTemplate jdbc;

    @AfterEach
    void stopAll() throws Exception {
        for (ConfigurableApplicationContext c : contexts) if (c.isActive()) c.close();
        if (testDs != null) testDs.close();
        if (postgres != null) postgres.close();
    }

    private ConfigurableApplicationContext start(String id) {
        ConfigurableApplicationContext node = LedgerNodes.start(postgres.getJdbcUrl("postgres", "postgres"), id,
                "--ledger.integrity.seal-interval=200ms");
        contexts.add(node);
        return node;
    }

    @Test
    void everyEventOfTwoWritingNodesGetsExactlyOneLeaf() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
        testDs = new HikariDataSource();
        testDs.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        testDs.setUsername("postgres");
        testDs.setMaximumPoolSize(3);
        jdbc = new JdbcTemplate(testDs);
        ConfigurableApplicationContext a = start("node-a");
        ConfigurableApplicationContext b = start("node-b");
        Http httpA = new Http(LedgerNodes.port(a));
        Http httpB = new Http(LedgerNodes.port(b));

        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 6; i++) patients.add(register(i % 2 == 0 ? httpA : httpB));

        // Both nodes' sealers are also driven directly, as fast as they go, beside their schedules: the advisory
        // lock must keep them from ever sealing at once (a second leaf for an event would be a duplicate key).
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger sealedBy = new AtomicInteger();
        List<Throwable> sealFailures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<?>> sealers = new ArrayList<>();
        for (ConfigurableApplicationContext node : List.of(a, b)) {
            Sealer sealer = node.getBean(Sealer.class);
            sealers.add(pool.submit(() -> {
                while (writing.get()) {
                    try {
                        if (sealer.sealOnce().leavesAdded() > 0) sealedBy.incrementAndGet();
                    } catch (RuntimeException e) {
                        sealFailures.add(e);
                    }
                }
            }));
        }
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Http via = t % 2 == 0 ? httpA : httpB;
            int thread = t;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    String patient = patients.get((thread + i) % patients.size());
                    statuses.add(via.post("injector", "/api/patients/" + patient + "/cycle-factors",
                            "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\",\"note\":\"n%d\"}".formatted(
                                    Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(5, ChronoUnit.DAYS), i)).status());
                }
            }));
        }

        // Meanwhile a transaction takes a global index and commits only later; another one rolls back.
        long late;
        try (Connection held = testDs.getConnection(); Connection rolledBack = testDs.getConnection()) {
            held.setAutoCommit(false);
            late = insertCopyOfARegistration(held);
            rolledBack.setAutoCommit(false);
            insertCopyOfARegistration(rolledBack);
            rolledBack.rollback();
            Thread.sleep(1500); // several seal rounds while the late transaction is open and others commit
            Long sealedPast = jdbc.queryForObject("SELECT count(*) FROM ledger_leaf WHERE global_index >= ?", Long.class, late);
            Long committedPast = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE globalindex > ?", Long.class, late);
            assertThat(committedPast).as("events committed above the open transaction's index").isPositive();
            assertThat(sealedPast).as("nothing sealed past an index whose transaction is still open").isZero();
            held.commit();
        }
        for (Future<?> w : writers) w.get(120, TimeUnit.SECONDS);
        long acknowledgedAt = System.nanoTime();
        assertThat(statuses).allMatch(s -> s == 201 || s == 409);
        long sealedWithin = awaitAllSealed(acknowledgedAt);
        writing.set(false);
        for (Future<?> s : sealers) s.get(30, TimeUnit.SECONDS);
        pool.shutdown();

        assertThat(sealFailures).isEmpty();
        Long events = jdbc.queryForObject("SELECT count(*) FROM domainevententry", Long.class);
        Long leaves = jdbc.queryForObject("SELECT count(*) FROM ledger_leaf", Long.class);
        Long withoutLeaf = jdbc.queryForObject("SELECT count(*) FROM domainevententry e WHERE NOT EXISTS "
                + "(SELECT 1 FROM ledger_leaf l WHERE l.global_index = e.globalindex)", Long.class);
        assertThat(withoutLeaf).isZero();
        assertThat(leaves).isEqualTo(events);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_leaf WHERE global_index = ?", Long.class, late)).isOne();
        // Group commit did put several commands into one transaction (their rows share the inserting xid).
        Long grouped = jdbc.queryForObject("SELECT count(*) FROM (SELECT xmin::text FROM domainevententry "
                + "GROUP BY xmin::text HAVING count(DISTINCT eventidentifier) > 1) g", Long.class);
        System.out.printf("IntegrityMultiNodeTest: %d events, %d acknowledged writes, %d transactions of several "
                        + "events, %d seal rounds that added leaves, all sealed %d ms after the last acknowledgement%n",
                events, statuses.stream().filter(s -> s == 201).count(), grouped, sealedBy.get(), sealedWithin);
        assertThat(grouped).isPositive();

        Http.Response report = httpB.post("auditor", "/api/admin/ledger/verify", "");
        assertThat(report.status()).as(report.raw()).isEqualTo(200);
        assertThat(report.json().get("verified").asBoolean()).as(report.raw()).isTrue();
        assertThat(report.json().get("treeSize").asLong()).isEqualTo(events);
    }

    /** A registration of a new patient copied in a transaction of the test's own: an event the nodes did not write. */
    private static long insertCopyOfARegistration(Connection con) throws Exception {
        try (PreparedStatement ps = con.prepareStatement("INSERT INTO domainevententry (aggregateidentifier, "
                + "sequencenumber, type, eventidentifier, metadata, payload, payloadtype, payloadrevision, timestamp) "
                + "SELECT ?, 0, type, ?, metadata, payload, payloadtype, payloadrevision, timestamp FROM domainevententry "
                + "WHERE sequencenumber = 0 ORDER BY globalindex LIMIT 1 RETURNING globalindex")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, UUID.randomUUID().toString());
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long awaitAllSealed(long since) throws InterruptedException {
        while (true) {
            Long unsealed = jdbc.queryForObject("SELECT count(*) FROM domainevententry e WHERE NOT EXISTS "
                    + "(SELECT 1 FROM ledger_leaf l WHERE l.global_index = e.globalindex)", Long.class);
            Long leaves = jdbc.queryForObject("SELECT count(*) FROM ledger_leaf", Long.class);
            Long checkpoint = jdbc.queryForObject("SELECT coalesce(max(tree_size), -1) FROM ledger_checkpoint", Long.class);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            if (unsealed == 0 && checkpoint.equals(leaves)) return elapsed;
            assertThat(elapsed).as("every acknowledged event in a signed checkpoint within 5 s").isLessThan(5000);
            Thread.sleep(20);
        }
    }

    private static String register(Http http) {
        Http.Response r = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"birthYear\":1985,\"registeredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(200, ChronoUnit.DAYS) + "\"}");
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.text("patientId");
    }
}
