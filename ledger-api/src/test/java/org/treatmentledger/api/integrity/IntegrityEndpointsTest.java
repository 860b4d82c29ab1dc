package org.treatmentledger.api.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.verify.cli.VerifyMain;
import org.treatmentledger.verify.evidence.ConsistencyProofDocument;
import org.treatmentledger.verify.evidence.ConsistencyVerifier;
import org.treatmentledger.verify.evidence.EvidenceBundle;
import org.treatmentledger.verify.evidence.EvidenceVerifier;
import org.treatmentledger.verify.evidence.TrustedKeys;
import org.treatmentledger.verify.evidence.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.api.LedgerTestSupport.assertProblem;
import static org.treatmentledger.api.LedgerTestSupport.daysAgo;
import static org.treatmentledger.api.LedgerTestSupport.glabella20;
import static org.treatmentledger.api.LedgerTestSupport.registerPatient;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tamper-evident log end to end on the real PostgreSQL: bundles fetched over HTTP verify with ledger-verify (as a
 * library and through its command line) and fail when edited; consistency proofs between checkpoints verify; the
 * whole-store check names each kind of tampering with the right leaf, patient, sequence number and reason, and
 * passes again once the row is put back. Its own context (and database): the tampering must not meet other tests.
 * Not a LedgerTestSupport subclass: that class's shared data directory would be registered too, and two cached
 * contexts would then start PostgreSQL on one directory.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrityEndpointsTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-integrity-");
        registry.add("ledger.integrity.seal-interval", () -> "200ms");
        registry.add("ledger.integrity.evidence-wait", () -> "1s");
        registry.add("ledger.integrity.origin", () -> "ledger.test/treatments");
    }

    @Autowired
    Sealer sealer;

    @Autowired
    IntegrityKeys keys;

    @AfterEach
    void resume() {
        sealer.pause(false);
    }

    private TrustedKeys trusted() {
        // The reviewer's key comes from the service's configuration, not from the bundle.
        return TrustedKeys.ofRaw(keys.signer().verifierKey().publicKey());
    }

    /** Waits until every stored event has a leaf and the latest checkpoint covers them all. */
    private long awaitSealed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            Long unsealed = jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE globalindex > "
                    + "(SELECT coalesce(max(global_index), 0) FROM ledger_leaf)", Long.class);
            Long leaves = jdbc.queryForObject("SELECT count(*) FROM ledger_leaf", Long.class);
            Long checkpoint = jdbc.queryForObject("SELECT coalesce(max(tree_size), -1) FROM ledger_checkpoint", Long.class);
            if (unsealed == 0 && checkpoint.equals(leaves)) return leaves;
            assertThat(System.nanoTime()).as("every acknowledged event in a signed checkpoint within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private String patientWithHistory(int injections) {
        String patient = registerPatient(http, daysAgo(400));
        for (int i = 0; i < injections; i++) {
            Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(360 - 100 * i)));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        return patient;
    }

    private JsonNode verify() {
        Http.Response r = http.post("auditor", "/api/admin/ledger/verify", "");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.json();
    }

    private long globalIndex(String patient, long sequence) {
        return jdbc.queryForObject("SELECT globalindex FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = ?",
                Long.class, patient, sequence);
    }

    private long leafOf(long globalIndex) {
        return jdbc.queryForObject("SELECT leaf_index FROM ledger_leaf WHERE global_index = ?", Long.class, globalIndex);
    }

    private void assertMismatch(long leafIndex, String patient, long sequence, String reason) {
        JsonNode report = verify();
        assertThat(report.get("verified").asBoolean()).as(report.toString()).isFalse();
        JsonNode m = report.get("firstMismatch");
        assertThat(m.get("reason").asText()).as(report.toString()).isEqualTo(reason);
        assertThat(m.get("leafIndex").asLong()).as(report.toString()).isEqualTo(leafIndex);
        assertThat(m.get("patientId").asText()).as(report.toString()).isEqualTo(patient);
        assertThat(m.get("sequenceNumber").asLong()).as(report.toString()).isEqualTo(sequence);
    }

    private void assertVerified() {
        JsonNode report = verify();
        assertThat(report.get("verified").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("firstMismatch").isNull()).as(report.toString()).isTrue();
        assertThat(report.get("checkpointsChecked").asLong()).isPositive();
    }

    @Test
    void anEvidenceBundleVerifiesOfflineAndFailsWhenEdited() throws Exception {
        String patient = patientWithHistory(3);
        awaitSealed();
        Http.Response r = http.get("auditor", "/api/patients/" + patient + "/evidence");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        byte[] json = r.raw().getBytes(StandardCharsets.UTF_8);
        EvidenceBundle bundle = EvidenceBundle.parse(json);
        assertThat(bundle.entries()).hasSize(4);
        assertThat(bundle.checkpoint().origin()).isEqualTo("ledger.test/treatments");
        Verdict verdict = EvidenceVerifier.verify(bundle, trusted());
        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        long n = bundle.checkpoint().treeSize();
        for (EvidenceBundle.Entry entry : bundle.entries()) {
            // An inclusion proof is at most ceil(log2 n) hashes of 32 bytes.
            assertThat(entry.inclusionProof().size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(n - 1));
        }

        // One payload byte of one entry edited in the bundle: the verifier names the entry.
        EvidenceBundle.Entry e = bundle.entries().get(2);
        byte[] payload = Base64.getDecoder().decode(e.payload());
        payload[payload.length / 2] ^= 1;
        String edited = r.raw().replace(e.payload(), Base64.getEncoder().encodeToString(payload));
        Verdict refused = EvidenceVerifier.verify(EvidenceBundle.parse(edited.getBytes(StandardCharsets.UTF_8)), trusted());
        assertThat(refused.verified()).isFalse();
        assertThat(refused.entry()).isEqualTo(2);

        // The same through the reviewer's command line (a JVM of its own: main exits).
        Path dir = Files.createTempDirectory("ledger-verify-cli");
        Path key = Files.writeString(dir.resolve("pub.txt"), keys.signer().verifierKey().publicKeyBase64() + "\n");
        Path good = Files.write(dir.resolve("bundle.json"), json);
        Path bad = Files.writeString(dir.resolve("edited.json"), edited);
        assertThat(cli("bundle", "--key", key.toString(), good.toString())).isZero();
        assertThat(cli("bundle", "--key", key.toString(), bad.toString())).isEqualTo(1);
    }

    private static int cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), VerifyMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.println("ledger-verify: " + output.strip());
        return process.exitValue();
    }

    @Test
    void consistencyBetweenTwoCheckpointsVerifies() throws Exception {
        patientWithHistory(1);
        awaitSealed();
        JsonNode older = http.get("analyst", "/api/ledger/checkpoint").json();
        patientWithHistory(2);
        awaitSealed();
        Http.Response newer = http.get("injector", "/api/ledger/checkpoint");
        assertThat(newer.status()).isEqualTo(200);
        long from = older.get("treeSize").asLong();
        long to = newer.json().get("treeSize").asLong();
        assertThat(to).isGreaterThan(from);

        Http.Response proof = http.get("auditor", "/api/ledger/proofs/consistency?from=" + from + "&to=" + to);
        assertThat(proof.status()).as(proof.raw()).isEqualTo(200);
        ConsistencyProofDocument document = ConsistencyProofDocument.parse(proof.raw().getBytes(StandardCharsets.UTF_8));
        Verdict verdict = ConsistencyVerifier.verify(older.get("note").asText(), newer.json().get("note").asText(),
                document, trusted());
        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();

        // The sizes must be checkpointed sizes, in order, from 1.
        assertParameter(http.get("auditor", "/api/ledger/proofs/consistency?from=0&to=" + to), 400, "from");
        assertParameter(http.get("auditor", "/api/ledger/proofs/consistency?from=" + to + "&to=" + from), 400, "from");
        assertParameter(http.get("auditor", "/api/ledger/proofs/consistency?from=x1&to=" + to), 400, "from");
        assertParameter(http.get("auditor", "/api/ledger/proofs/consistency?from=" + from), 400, "to");
        assertParameter(http.get("auditor", "/api/ledger/proofs/consistency?from=" + from + "&to=" + (to + 1000)), 404, "to");
    }

    private static void assertParameter(Http.Response r, int status, String field) {
        assertProblem(r, status);
        assertThat(r.json().get("errors").get(0).get("field").asText()).as(r.raw()).isEqualTo(field);
    }

    @Test
    void rolesAndUnknownOrUnsealedPatients() throws Exception {
        String patient = patientWithHistory(0);
        awaitSealed();
        assertProblem(http.get("injector", "/api/patients/" + patient + "/evidence"), 403);
        assertProblem(http.get("analyst", "/api/patients/" + patient + "/evidence"), 403);
        assertThat(http.get("clinician", "/api/patients/" + patient + "/evidence").status()).isEqualTo(200);
        assertProblem(http.post("clinician", "/api/admin/ledger/verify", ""), 403);
        assertProblem(http.get(null, "/api/ledger/checkpoint"), 401);
        Http.Response unknown = http.get("auditor", "/api/patients/no-such-patient/evidence");
        assertProblem(unknown, 404);
        assertThat(unknown.text("code")).isEqualTo("PATIENT_NOT_FOUND");

        // Written but not yet sealed: refused with Retry-After after the configured wait, never a partial bundle.
        sealer.pause(true);
        Thread.sleep(300); // a round already running finishes
        assertThat(http.post("injector", "/api/patients/" + patient + "/injections", glabella20(daysAgo(2))).status())
                .isEqualTo(201);
        Http.Response unsealed = http.get("auditor", "/api/patients/" + patient + "/evidence");
        assertProblem(unsealed, 503);
        assertThat(unsealed.text("code")).isEqualTo("EVIDENCE_NOT_SEALED");
        assertThat(unsealed.header("Retry-After")).isEqualTo("1");
        sealer.pause(false);
        awaitSealed();
        assertThat(http.get("auditor", "/api/patients/" + patient + "/evidence").json().get("entries")).hasSize(2);
    }

    @Test
    void theWholeStoreCheckNamesEachTampering() throws Exception {
        // A gap below the sealed horizon, for the forged event to go into later.
        long gap = jdbc.queryForObject("SELECT nextval('domain_event_global_index_seq')", Long.class);
        String patient = patientWithHistory(3);
        awaitSealed();
        assertVerified();
        sealer.pause(true);
        Thread.sleep(300);

        long g1 = globalIndex(patient, 1);
        long g2 = globalIndex(patient, 2);
        long leaf1 = leafOf(g1);
        long leaf2 = leafOf(g2);

        // A payload byte changed.
        jdbc.update("UPDATE domainevententry SET payload = set_byte(payload, 3, get_byte(payload, 3) # 1) WHERE globalindex = ?", g2);
        assertMismatch(leaf2, patient, 2, "PAYLOAD_CHANGED");
        jdbc.update("UPDATE domainevententry SET payload = set_byte(payload, 3, get_byte(payload, 3) # 1) WHERE globalindex = ?", g2);
        assertVerified();

        // recordedBy changed in the metadata.
        String metadata = jdbc.queryForObject("SELECT convert_from(metadata, 'UTF8') FROM domainevententry WHERE globalindex = ?",
                String.class, g1);
        assertThat(metadata).contains("recordedBy").contains("injector");
        jdbc.update("UPDATE domainevententry SET metadata = convert_to(replace(convert_from(metadata, 'UTF8'), 'injector', "
                + "'clinician'), 'UTF8') WHERE globalindex = ?", g1);
        assertMismatch(leaf1, patient, 1, "METADATA_CHANGED");
        jdbc.update("UPDATE domainevententry SET metadata = convert_to(?, 'UTF8') WHERE globalindex = ?", metadata, g1);
        assertVerified();

        // The timestamp changed, even to the same instant spelled otherwise.
        String timestamp = jdbc.queryForObject("SELECT timestamp FROM domainevententry WHERE globalindex = ?", String.class, g2);
        jdbc.update("UPDATE domainevententry SET timestamp = replace(timestamp, 'Z', '+00:00') WHERE globalindex = ?", g2);
        assertMismatch(leaf2, patient, 2, "TIMESTAMP_CHANGED");
        jdbc.update("UPDATE domainevententry SET timestamp = ? WHERE globalindex = ?", timestamp, g2);
        assertVerified();

        // An event deleted.
        // A plain table, not TEMP: the pool may hand the next statement another connection.
        jdbc.execute("CREATE TABLE saved_event AS SELECT * FROM domainevententry WHERE globalindex = " + g1);
        jdbc.update("DELETE FROM domainevententry WHERE globalindex = ?", g1);
        assertMismatch(leaf1, patient, 1, "EVENT_MISSING");
        jdbc.execute("INSERT INTO domainevententry SELECT * FROM saved_event; DROP TABLE saved_event");
        assertVerified();

        // A forged event inserted into the past (a global index below the sealed ones).
        long nextLeaf = jdbc.queryForObject("SELECT min(leaf_index) FROM ledger_leaf WHERE global_index > ?", Long.class, gap);
        jdbc.update("INSERT INTO domainevententry (globalindex, aggregateidentifier, sequencenumber, type, eventidentifier, "
                + "metadata, payload, payloadtype, timestamp) SELECT ?, aggregateidentifier, 99, type, 'forged-event', metadata, "
                + "payload, payloadtype, timestamp FROM domainevententry WHERE globalindex = ?", gap, g2);
        assertMismatch(nextLeaf, patient, 99, "EVENT_NOT_IN_TREE");
        jdbc.update("DELETE FROM domainevententry WHERE eventidentifier = 'forged-event'");
        assertVerified();

        // Two events of the patient swapped (their sequence numbers exchanged).
        swapSequences(patient);
        assertMismatch(leaf1, patient, 1, "SEQUENCE_NUMBER_CHANGED");
        swapSequences(patient);
        assertVerified();

        // A stored tree node changed: its table refuses updates, so only with triggers off (as a superuser could).
        long node = leaf2 / 2;
        assertThatThrownBy(() -> jdbc.update("UPDATE ledger_tree_node SET hash = hash WHERE level = 1 AND node_index = ?", node))
                .rootCause().hasMessageContaining("only grows");
        byte[] hash = jdbc.queryForObject("SELECT hash FROM ledger_tree_node WHERE level = 1 AND node_index = ?", byte[].class, node);
        byte[] changed = hash.clone();
        changed[0] ^= 1;
        asSuperuserWithoutTriggers(changed, node);
        assertThat(verify().get("firstMismatch").get("leafIndex").asLong()).isLessThanOrEqualTo(node * 2);
        assertMismatch(node * 2, jdbc.queryForObject("SELECT patient_id FROM ledger_leaf WHERE leaf_index = ?", String.class, node * 2),
                jdbc.queryForObject("SELECT sequence_number FROM ledger_leaf WHERE leaf_index = ?", Long.class, node * 2),
                "TREE_NODE_CHANGED");
        asSuperuserWithoutTriggers(hash, node);
        assertVerified();
    }

    private void swapSequences(String patient) {
        jdbc.update("UPDATE domainevententry SET sequencenumber = -1 WHERE aggregateidentifier = ? AND sequencenumber = 1", patient);
        jdbc.update("UPDATE domainevententry SET sequencenumber = 1 WHERE aggregateidentifier = ? AND sequencenumber = 2", patient);
        jdbc.update("UPDATE domainevententry SET sequencenumber = 2 WHERE aggregateidentifier = ? AND sequencenumber = -1", patient);
    }

    private void asSuperuserWithoutTriggers(byte[] hash, long node) {
        jdbc.execute((java.sql.Connection con) -> {
            try (var off = con.createStatement()) {
                off.execute("SET session_replication_role = replica");
            }
            try (var ps = con.prepareStatement("UPDATE ledger_tree_node SET hash = ? WHERE level = 1 AND node_index = ?")) {
                ps.setBytes(1, hash);
                ps.setLong(2, node);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            } finally {
                try (var on = con.createStatement()) {
                    on.execute("SET session_replication_role = DEFAULT");
                }
            }
            return null;
        });
    }
}
