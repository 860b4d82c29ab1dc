package org.treatmentledger.api.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.axoniq.axonserver.grpc.MetaDataValue;
import io.axoniq.axonserver.grpc.event.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.verify.evidence.EvidenceBundle;
import org.treatmentledger.verify.evidence.EvidenceVerifier;
import org.treatmentledger.verify.evidence.TrustedKeys;
import org.treatmentledger.verify.evidence.Verdict;
import org.treatmentledger.verify.leaf.PatientEventLeaf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealing under the {@code axonserver} profile: the real sealer, tree store, whole-store check and evidence service
 * on a real PostgreSQL, reading a fake Axon Server through the connector's interfaces ({@link FakeAxonServer}, real
 * protobuf events; no Axon Server runs on the build machines, so this is the connector's API, not a server). Every
 * event gets exactly one leaf in token order, across batches, failed rounds and restarts (the last leaf's token is
 * the position, and it commits with the leaves); a byte changed inside the store is named by the check.
 */
class AxonServerSealingTest {

    private static final String TYPE = "org.treatmentledger.core.api.InjectionRecorded";
    private static final long T = 1_772_443_800_123L;
    private static final int BATCH = 3;

    private static EmbeddedPostgres postgres;
    private static HikariDataSource ds;
    private static Path keyDir;

    private JdbcTemplate jdbc;
    private FakeAxonServer server;
    private IntegrityKeys keys;
    private IntegrityProperties properties;

    @BeforeAll
    static void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setMaximumPoolSize(4);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();
        keyDir = Files.createTempDirectory("ledger-axonseal-");
    }

    @AfterAll
    static void stop() throws Exception {
        if (ds != null) ds.close();
        if (postgres != null) postgres.close();
    }

    @BeforeEach
    void emptyLog() {
        jdbc = new JdbcTemplate(ds);
        // The log's tables refuse DELETE and TRUNCATE by trigger; each test starts from an empty log.
        jdbc.execute("ALTER TABLE ledger_leaf DISABLE TRIGGER USER; ALTER TABLE ledger_tree_node DISABLE TRIGGER USER; "
                + "ALTER TABLE ledger_checkpoint DISABLE TRIGGER USER; "
                + "TRUNCATE ledger_leaf, ledger_tree_node, ledger_checkpoint; "
                + "ALTER TABLE ledger_leaf ENABLE TRIGGER USER; ALTER TABLE ledger_tree_node ENABLE TRIGGER USER; "
                + "ALTER TABLE ledger_checkpoint ENABLE TRIGGER USER");
        server = new FakeAxonServer();
        properties = new IntegrityProperties(true, "ledger.test/treatments", null, null, null, null, BATCH,
                Duration.ofMillis(500));
        keys = IntegrityKeys.load(properties, keyDir.resolve("key.pem"));
    }

    private AxonServerSealSource source() {
        return new AxonServerSealSource(server::channel, Duration.ofMillis(300));
    }

    /** A node's sealer as it starts: nothing of an earlier instance's memory, only what PostgreSQL holds. */
    private Sealer sealer() {
        TreeStore store = new TreeStore(jdbc);
        return new Sealer(jdbc, store, source(), new TransactionTemplate(new DataSourceTransactionManager(ds)), keys,
                properties, new SimpleMeterRegistry());
    }

    private StoreVerifier verifier() {
        return new StoreVerifier(ds, keys, source());
    }

    private void write(int count) {
        for (int i = 0; i < count; i++) {
            int n = server.size();
            // Three patients, interleaved: each one's stream is every third token.
            server.append(FakeAxonServer.event("patient-" + (n % 3), n / 3, TYPE, "{\"units\":" + n + "}", T + n * 1000L,
                    n % 2 == 0 ? "injector" : "clinician"));
        }
    }

    private List<Map<String, Object>> leaves() {
        return jdbc.queryForList("SELECT leaf_index, global_index, patient_id, sequence_number FROM ledger_leaf ORDER BY leaf_index");
    }

    @Test
    void everyEventGetsExactlyOneLeafInTokenOrderAcrossBatchesAndRestarts() {
        write(7);
        Sealer.Round first = sealer().sealOnce();
        // 7 events in batches of 3: 3 + 3 + 1, each its own transaction; the stream is reopened at each batch's last
        // token (openStream's argument is the token before it), that event checked against the last leaf.
        assertThat(first.leavesAdded()).isEqualTo(7);
        assertThat(first.treeSize()).isEqualTo(7);
        assertThat(server.streamsOpenedAfter).containsExactly(-1L, 1L, 4L);
        List<Map<String, Object>> leaves = leaves();
        for (int i = 0; i < leaves.size(); i++) {
            assertThat(leaves.get(i).get("leaf_index")).isEqualTo((long) i);
            assertThat(leaves.get(i).get("global_index")).as("leaf %d names token %d", i, i).isEqualTo((long) i);
            assertThat(leaves.get(i).get("patient_id")).isEqualTo("patient-" + (i % 3));
            assertThat(leaves.get(i).get("sequence_number")).isEqualTo((long) i / 3);
        }

        // A restarted node (a new sealer and source) resumes after the last leaf's token; nothing is sealed twice.
        assertThat(sealer().sealOnce().leavesAdded()).isZero();
        write(3);
        Sealer restarted = sealer();
        Sealer.Round round = restarted.sealOnce();
        assertThat(round.leavesAdded()).isEqualTo(3);
        // The idle restart read from token 6 (after 5) to check it; this one too, then again after its full batch.
        assertThat(server.streamsOpenedAfter).containsExactly(-1L, 1L, 4L, 5L, 5L, 8L);
        assertThat(leaves()).extracting(r -> r.get("global_index")).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(jdbc.queryForObject("SELECT max(tree_size) FROM ledger_checkpoint", Long.class)).isEqualTo(10L);

        // Each patient's leaves chain to the previous one of the same patient, and the whole store verifies.
        PatientEventLeaf fourth = PatientEventLeaf.decode(jdbc.queryForObject("SELECT leaf FROM ledger_leaf WHERE leaf_index = 3", byte[].class));
        byte[] firstHash = jdbc.queryForObject("SELECT leaf_hash FROM ledger_leaf WHERE leaf_index = 0", byte[].class);
        assertThat(fourth.previousLeafHash()).isEqualTo(firstHash);
        StoreVerifier.Report report = verifier().verify();
        assertThat(report.verified()).as("%s", report.firstMismatch()).isTrue();
        assertThat(report.treeSize()).isEqualTo(10);
        assertThat(report.checkpointsChecked()).isPositive();
    }

    @Test
    void aRoundThatFailsMidStreamStoresNothingAndTheNextSealsEachEventOnce() {
        write(5);
        server.failAfter = 1;
        Sealer sealer = sealer();
        assertThatThrownBy(sealer::sealOnce).isInstanceOf(SealSource.UnavailableException.class);
        assertThat(leaves()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_checkpoint", Long.class)).isZero();

        // A batch boundary then fails: the first batch (3) is committed with its position, the second is not.
        server.failAfter = null;
        server.skipToken = 3L;
        assertThatThrownBy(sealer::sealOnce).isInstanceOf(IllegalStateException.class);
        assertThat(leaves()).extracting(r -> r.get("global_index")).containsExactly(0L, 1L, 2L);

        server.skipToken = null;
        assertThat(sealer().sealOnce().leavesAdded()).isEqualTo(2);
        assertThat(leaves()).extracting(r -> r.get("global_index")).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(verifier().verify().verified()).isTrue();
    }

    @Test
    void aLogMadeFromAnotherStoreIsNotContinued() {
        write(4);
        sealer().sealOnce();
        // Another store behind the same tables (the JDBC events before a migration, another context, an old backup):
        // the same number of events, so its tokens line up, but token 3 is another patient's event.
        FakeAxonServer other = new FakeAxonServer();
        for (int i = 0; i < 6; i++) other.append(FakeAxonServer.event("elsewhere-" + i, 0, TYPE, "{}", T, "u"));
        server = other;
        assertThatThrownBy(() -> sealer().sealOnce()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("last leaf (index 3)").hasMessageContaining("patient elsewhere-3 sequence 0");
        assertThat(leaves()).hasSize(4);
    }

    @Test
    void anEmptyStoreIsCheckpointedAtSizeZeroAndItsFirstEventIsToken0() {
        Sealer sealer = sealer();
        Sealer.Round empty = sealer.sealOnce();
        assertThat(empty.treeSize()).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ledger_checkpoint WHERE tree_size = 0", Long.class)).isEqualTo(1);
        write(1);
        assertThat(sealer.sealOnce().leavesAdded()).isEqualTo(1);
        assertThat(leaves()).extracting(r -> r.get("global_index")).containsExactly(0L);
    }

    @Test
    void aByteChangedInsideTheStoreIsNamedByTheWholeStoreCheck() {
        write(9);
        sealer().sealOnce();
        assertThat(verifier().verify().verified()).isTrue();

        // Token 5 is patient-2's sequence 1. A payload byte changed:
        Event original = server.event(5);
        byte[] payload = original.getPayload().getData().toByteArray();
        payload[payload.length - 2] ^= 1;
        server.replace(5, original.toBuilder().setPayload(original.getPayload().toBuilder()
                .setData(com.google.protobuf.ByteString.copyFrom(payload))).build());
        StoreVerifier.Report report = verifier().verify();
        assertThat(report.verified()).isFalse();
        assertThat(report.firstMismatch()).isEqualTo(new StoreVerifier.Mismatch(5, "patient-2", 1L, "PAYLOAD_CHANGED"));

        // recordedBy changed in the metadata:
        server.replace(5, original.toBuilder().putMetaData("recordedBy",
                MetaDataValue.newBuilder().setTextValue("someone-else").build()).build());
        assertThat(verifier().verify().firstMismatch()).isEqualTo(new StoreVerifier.Mismatch(5, "patient-2", 1L, "METADATA_CHANGED"));

        // The timestamp, by one millisecond:
        server.replace(5, original.toBuilder().setTimestamp(original.getTimestamp() + 1).build());
        assertThat(verifier().verify().firstMismatch()).isEqualTo(new StoreVerifier.Mismatch(5, "patient-2", 1L, "TIMESTAMP_CHANGED"));

        // The same event given back: verified again.
        server.replace(5, original);
        assertThat(verifier().verify().verified()).isTrue();
    }

    @Test
    void anEvidenceBundleFromAxonServerVerifiesOfflineAndFailsWhenTheStoreChanged() throws Exception {
        write(9);
        sealer().sealOnce();
        EvidenceService evidence = new EvidenceService(new TreeStore(jdbc), source(), Duration.ofMillis(300));
        TrustedKeys trusted = TrustedKeys.ofRaw(keys.signer().verifierKey().publicKey());
        ObjectMapper json = new ObjectMapper();

        EvidenceBundle bundle = EvidenceBundle.parse(json.writeValueAsBytes(evidence.evidence("patient-1")));
        assertThat(bundle.entries()).extracting(EvidenceBundle.Entry::sequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(bundle.entries()).extracting(EvidenceBundle.Entry::leafIndex).containsExactly(1L, 4L, 7L);
        assertThat(bundle.entries().get(0).recordedAt()).isEqualTo("2026-03-02T09:30:01.123Z");
        Verdict verdict = EvidenceVerifier.verify(bundle, trusted);
        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();

        // A newer event not yet sealed: the bundle waits, then refuses rather than leave it out.
        server.append(FakeAxonServer.event("patient-1", 3, TYPE, "{}", T, "u"));
        assertThatThrownBy(() -> evidence.evidence("patient-1")).isInstanceOf(EvidenceService.NotSealedException.class);
        sealer().sealOnce();
        assertThat(EvidenceVerifier.verify(EvidenceBundle.parse(json.writeValueAsBytes(evidence.evidence("patient-1"))),
                trusted).verified()).isTrue();

        // recordedBy of patient-1's sequence 1 (token 4) changed inside Axon Server: the bundle no longer verifies.
        Event original = server.event(4);
        server.replace(4, original.toBuilder().putMetaData("recordedBy",
                MetaDataValue.newBuilder().setTextValue("someone-else").build()).build());
        Verdict refused = EvidenceVerifier.verify(EvidenceBundle.parse(json.writeValueAsBytes(evidence.evidence("patient-1"))),
                trusted);
        assertThat(refused.verified()).isFalse();
        assertThat(refused.entry()).isEqualTo(1);
        assertThat(refused.sentence()).contains("metadata");
    }
}
