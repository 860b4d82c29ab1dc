package org.treatmentledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.api.integrity.IntegrityKeys;
import org.treatmentledger.verify.evidence.AccessLogBundle;
import org.treatmentledger.verify.evidence.AccessLogVerifier;
import org.treatmentledger.verify.evidence.ConsistencyProofDocument;
import org.treatmentledger.verify.evidence.ConsistencyVerifier;
import org.treatmentledger.verify.evidence.TrustedKeys;
import org.treatmentledger.verify.evidence.Verdict;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The access log is tamper-evident: each record becomes a leaf of the access log's own tree within seconds, the
 * checkpoints are signed with the ledger's key under the access log's origin, and an exported access log (or one
 * record's proof) verifies offline with ledger-verify's AccessLogVerifier against the public key alone; a record
 * changed in the table after sealing is named. Proofs answer the caller's clinics only.
 */
class AccessLogIntegrityTest extends LedgerTestSupport {

    @Autowired
    IntegrityKeys keys;

    private TrustedKeys publicKey() {
        return TrustedKeys.ofRaw(keys.signer().verifierKey().publicKey());
    }

    private static AccessLogBundle bundle(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return AccessLogBundle.parse(r.raw().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aPatientsAccessLogIsSealedWithinSecondsAndVerifiesOffline() {
        String patient = registerPatient(daysAgo(100));
        http.get("clinician", "/api/patients/" + patient + "/schedule");
        assertProblem(http.get("clinician2", "/api/patients/" + patient + "/history"), 404);
        Http.Response lastRead = http.get("auditor", "/api/patients/" + patient + "/units");
        long answered = System.nanoTime();
        long lastId = jdbc.queryForObject("SELECT max(id) FROM access_log WHERE patient_id = ?", Long.class, patient);
        assertThat(lastRead.status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM access_leaf l JOIN access_checkpoint c ON l.leaf_index < c.tree_size "
                        + "WHERE l.record_id = ?", Long.class, lastId) > 0);
        long sealedMillis = (System.nanoTime() - answered) / 1_000_000;

        AccessLogBundle log = bundle(http.get("auditor", "/api/patients/" + patient + "/access-log/evidence"));
        Verdict verdict = AccessLogVerifier.verify(log, publicKey());
        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        assertThat(verdict.sentence()).startsWith("Verified: the 4 access records of patient " + patient);
        List<String> seen = new ArrayList<>();
        log.entries().forEach(e -> seen.add(e.user() + " " + e.action() + " " + e.status()));
        assertThat(seen).containsExactly("injector CREATE 201", "clinician READ 200", "clinician2 READ 404",
                "auditor READ 200");
        assertThat(log.checkpoint().origin()).isEqualTo("localhost/treatment-ledger/access");
        System.out.printf("Access record sealed %d ms after its response%n", sealedMillis);

        // The export's own record comes next in the patient's chain: the next export holds it, still whole.
        AccessLogBundle again = bundle(http.get("auditor", "/api/patients/" + patient + "/access-log/evidence"));
        assertThat(again.entries()).hasSize(5);
        assertThat(again.entries().get(4).action()).isEqualTo("EXPORT");
        assertThat(AccessLogVerifier.verify(again, publicKey()).verified()).isTrue();
    }

    @Test
    void aRecordChangedInTheTableAfterSealingIsNamed() {
        String patient = registerPatient(daysAgo(100));
        assertProblem(http.get("clinician2", "/api/patients/" + patient + "/history"), 404);
        long probe = jdbc.queryForObject("SELECT max(id) FROM access_log WHERE patient_id = ?", Long.class, patient);
        bundle(http.get("auditor", "/api/patients/" + patient + "/access-log/evidence")); // waits until sealed

        // Someone with the table owner's rights hides the other clinic's probe: answered 404 becomes 200 by clinician.
        jdbc.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only");
        try {
            jdbc.update("UPDATE access_log SET status = 200, user_name = 'clinician' WHERE id = ?", probe);
        } finally {
            jdbc.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only");
        }

        AccessLogBundle log = bundle(http.get("auditor", "/api/patients/" + patient + "/access-log/evidence"));
        Verdict verdict = AccessLogVerifier.verify(log, publicKey());
        assertThat(verdict.verified()).isFalse();
        assertThat(verdict.failure()).isEqualTo(Verdict.Failure.ENTRY_ALTERED);
        assertThat(verdict.entry()).isEqualTo(1);
        long leaf = jdbc.queryForObject("SELECT leaf_index FROM access_leaf WHERE record_id = ?", Long.class, probe);
        assertThat(verdict.sentence()).startsWith("Access record 1 (id " + probe + ", ")
                .endsWith("clinician READ GET /api/patients/" + patient + "/history) was altered: its user no longer "
                        + "matches leaf " + leaf + ".");
    }

    @Test
    void oneRecordsProofAndConsistencyBetweenCheckpoints() {
        String patient = registerPatient(daysAgo(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> http.get("auditor", "/api/audit/access/checkpoint").status() == 200);
        JsonNode first = http.get("auditor", "/api/audit/access/checkpoint").json();
        assertProblem(http.get("clinician2", "/api/patients/" + patient + "/history"), 404);
        long probe = jdbc.queryForObject("SELECT max(id) FROM access_log WHERE patient_id = ?", Long.class, patient);
        JsonNode entries = http.get("auditor", "/api/audit/access?patientId=" + patient).json().get("entries");
        assertThat(entries.get(0).get("id").asLong()).isEqualTo(probe);

        AccessLogBundle one = bundle(http.get("auditor", "/api/audit/access/proofs/inclusion?id=" + probe));
        assertThat(one.patientId()).isNull();
        assertThat(one.entries()).singleElement().satisfies(e -> assertThat(e.user()).isEqualTo("clinician2"));
        Verdict verdict = AccessLogVerifier.verify(one, publicKey());
        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        // The probe was made by a user of clinic-2, so clinic-2's auditor may see its proof too; the patient's
        // registration (clinic-1's patient, clinic-1's user) is unknown to it.
        assertThat(http.get("auditor2", "/api/audit/access/proofs/inclusion?id=" + probe).status()).isEqualTo(200);
        long registration = jdbc.queryForObject("SELECT min(id) FROM access_log WHERE patient_id = ?", Long.class, patient);
        Http.Response hidden = http.get("auditor2", "/api/audit/access/proofs/inclusion?id=" + registration);
        assertProblem(hidden, 404);
        assertThat(hidden.text("code")).isEqualTo("ACCESS_RECORD_NOT_FOUND");
        assertProblem(http.get("auditor", "/api/audit/access/proofs/inclusion?id=abc"), 400);
        assertProblem(http.get("auditor", "/api/audit/access/proofs/inclusion?id=999999999"), 404);
        assertProblem(http.get("clinician", "/api/audit/access/proofs/inclusion?id=" + probe), 403);

        JsonNode second = http.get("auditor", "/api/audit/access/checkpoint").json();
        long from = first.get("treeSize").asLong();
        long to = second.get("treeSize").asLong();
        assertThat(to).isGreaterThan(from);
        Http.Response proof = http.get("auditor", "/api/audit/access/proofs/consistency?from=" + from + "&to=" + to);
        assertThat(proof.status()).as(proof.raw()).isEqualTo(200);
        Verdict consistent = ConsistencyVerifier.verify(first.get("note").asText(), second.get("note").asText(),
                ConsistencyProofDocument.parse(proof.raw().getBytes(StandardCharsets.UTF_8)), publicKey());
        assertThat(consistent.verified()).as(consistent.sentence()).isTrue();
        assertProblem(http.get("auditor", "/api/audit/access/proofs/consistency?from=0&to=" + to), 400);
        assertProblem(http.get("auditor", "/api/audit/access/proofs/consistency?from=" + to + "&to=" + (to + 1_000_000)), 404);
        // The event log's checkpoint is of another log: a consistency check across the two is refused.
        JsonNode ledger = http.get("auditor", "/api/ledger/checkpoint").json();
        assertThat(ConsistencyVerifier.verify(ledger.get("note").asText(), second.get("note").asText(),
                new ConsistencyProofDocument(1, to, List.of()), publicKey()).failure())
                .isEqualTo(Verdict.Failure.DIFFERENT_LOG);
    }

    @Test
    void theTreeTablesOnlyGrow() {
        registerPatient(daysAgo(10));
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject("SELECT count(*) FROM access_checkpoint",
                Long.class) > 0);
        for (String table : List.of("access_leaf", "access_tree_node", "access_checkpoint")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("DELETE FROM " + table))
                    .as(table).rootCause().hasMessageContaining("only grows");
        }
    }
}
