package org.treatmentledger.verify.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.treatmentledger.verify.leaf.AccessRecordLeaf;
import org.treatmentledger.verify.leaf.LeafFormatException;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.InMemoryTree;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteSigner;
import org.treatmentledger.verify.note.VerifierKey;

/** An access log exported and checked offline: a good one verifies, and each kind of tampering names the record. */
class AccessLogVerifierTest {

    private static final String ORIGIN = "ledger.example/treatments/access";

    private final NoteSigner signer = LedgerFixture.newSigner();
    private final NoteSigner accessSigner = signer.withName(ORIGIN);
    private final InMemoryTree tree = new InMemoryTree();
    private final List<AccessRecordLeaf> leaves = new ArrayList<>();

    AccessLogVerifierTest() {
        Map<String, byte[]> previous = new HashMap<>();
        Map<String, Long> positions = new HashMap<>();
        String[] patients = {"patient-A", "patient-B", "patient-A", null, "patient-A", "patient-B", "patient-A"};
        for (int i = 0; i < patients.length; i++) {
            String p = patients[i];
            String key = p == null ? "" : p;
            AccessRecordLeaf leaf = new AccessRecordLeaf(100 + i * 3, "2026-12-07T10:00:0" + i + ".123456Z",
                    i % 2 == 0 ? "clinician" : "clinician2", "CLINICIAN", p == null ? null : "clinic-1",
                    List.of("clinic-1"), p, positions.getOrDefault(key, 0L), "READ",
                    "GET /api/patients/" + p + "/history", 200, "TREATMENT",
                    previous.getOrDefault(key, AccessRecordLeaf.noPreviousLeaf()));
            previous.put(key, leaf.leafHash());
            positions.merge(key, 1L, Long::sum);
            leaves.add(leaf);
            tree.append(leaf.leafHash());
        }
    }

    private AccessLogBundle export(String patient, UnaryOperator<List<AccessLogBundle.Entry>> edit) {
        long size = tree.size();
        List<AccessLogBundle.Entry> entries = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            AccessRecordLeaf l = leaves.get(i);
            if (patient != null && !patient.equals(l.patientId())) continue;
            entries.add(new AccessLogBundle.Entry(i, b64(l.encode()), l.recordId(), l.at(), l.user(), l.role(),
                    l.clinic(), l.callerClinics(), l.patientId(), l.patientSequence(), l.action(), l.resource(),
                    l.status(), l.purpose(), tree.inclusionProof(i, size).stream().map(AccessLogVerifierTest::b64).toList()));
        }
        CheckpointDocument checkpoint = CheckpointDocument.of(new Checkpoint(ORIGIN, size, tree.rootHash()), accessSigner);
        return new AccessLogBundle(patient, checkpoint, edit.apply(entries));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private TrustedKeys rawKey() {
        return TrustedKeys.ofRaw(signer.verifierKey().publicKey());
    }

    @Test
    void aPatientsWholeAccessLogVerifiesWithTheLedgersPublicKey() {
        AccessLogBundle bundle = AccessLogBundle.parse(export("patient-A", e -> e).toJson());

        Verdict verdict = AccessLogVerifier.verify(bundle, rawKey());

        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        assertThat(verdict.sentence()).startsWith("Verified: the 4 access records of patient patient-A match their leaves");
        // The same key named for the access log's origin (a vkey line) verifies it too.
        assertThat(AccessLogVerifier.verify(bundle, TrustedKeys.of(VerifierKey.ed25519(ORIGIN,
                signer.verifierKey().publicKey()))).verified()).isTrue();
    }

    @Test
    void aChangedFieldIsNamedWithItsRecord() {
        AccessLogBundle bundle = export("patient-A", e -> {
            AccessLogBundle.Entry x = e.get(2);
            e.set(2, new AccessLogBundle.Entry(x.leafIndex(), x.leaf(), x.id(), x.at(), "someone-else", x.role(),
                    x.clinic(), x.callerClinics(), x.patientId(), x.patientSequence(), x.action(), x.resource(),
                    x.status(), x.purpose(), x.inclusionProof()));
            return e;
        });

        Verdict verdict = AccessLogVerifier.verify(AccessLogBundle.parse(bundle.toJson()), rawKey());

        assertThat(verdict.verified()).isFalse();
        assertThat(verdict.failure()).isEqualTo(Verdict.Failure.ENTRY_ALTERED);
        assertThat(verdict.entry()).isEqualTo(2);
        assertThat(verdict.sentence()).isEqualTo("Access record 2 (id 112, 2026-12-07T10:00:04.123456Z, someone-else "
                + "READ GET /api/patients/patient-A/history) was altered: its user no longer matches leaf 4.");
    }

    @Test
    void aRewrittenLeafIsNotInTheCheckpoint() {
        AccessLogBundle bundle = export("patient-A", e -> {
            AccessLogBundle.Entry x = e.get(1);
            AccessRecordLeaf l = AccessRecordLeaf.decode(Base64.getDecoder().decode(x.leaf()));
            AccessRecordLeaf forged = new AccessRecordLeaf(l.recordId(), l.at(), l.user(), l.role(), l.clinic(),
                    l.callerClinics(), l.patientId(), l.patientSequence(), l.action(), l.resource(), 404, l.purpose(),
                    l.previousLeafHash());
            e.set(1, new AccessLogBundle.Entry(x.leafIndex(), b64(forged.encode()), x.id(), x.at(), x.user(), x.role(),
                    x.clinic(), x.callerClinics(), x.patientId(), x.patientSequence(), x.action(), x.resource(), 404,
                    x.purpose(), x.inclusionProof()));
            return e;
        });

        Verdict verdict = AccessLogVerifier.verify(bundle, rawKey());

        assertThat(verdict.failure()).isEqualTo(Verdict.Failure.NOT_IN_CHECKPOINT);
        assertThat(verdict.sentence()).startsWith("Access record 1 (id 106,").contains("is not in the signed checkpoint");
    }

    @Test
    void aRecordLeftOutOfThePatientsLogIsNamed() {
        AccessLogBundle bundle = export("patient-A", e -> {
            e.remove(1);
            return e;
        });

        Verdict verdict = AccessLogVerifier.verify(bundle, rawKey());

        assertThat(verdict.failure()).isEqualTo(Verdict.Failure.SEQUENCE_GAP);
        assertThat(verdict.sentence()).startsWith("Access record 1 (id 112,")
                .contains("is the patient's record 2 where 1 was expected");
    }

    @Test
    void anotherPatientsRecordIsRefused() {
        AccessLogBundle good = export("patient-B", e -> e);
        AccessLogBundle bundle = new AccessLogBundle("patient-A", good.checkpoint(), good.entries());

        assertThat(AccessLogVerifier.verify(bundle, rawKey()).sentence()).contains("is not of patient patient-A");
    }

    @Test
    void aSingleRecordVerifiesWithoutClaimingAWholeLog() {
        AccessLogBundle all = export(null, e -> List.of(e.get(3)));

        Verdict verdict = AccessLogVerifier.verify(all, rawKey());

        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        assertThat(verdict.sentence()).contains("the export claims no patient's whole log");
    }

    @Test
    void anUntrustedKeyIsRefused() {
        Verdict verdict = AccessLogVerifier.verify(export("patient-A", e -> e),
                TrustedKeys.ofRaw(LedgerFixture.newSigner().verifierKey().publicKey()));

        assertThat(verdict.failure()).isEqualTo(Verdict.Failure.CHECKPOINT_NOT_TRUSTED);
    }

    @Test
    void aPatientEventLeafIsNoAccessLeafAndTheEncodingRoundTrips() {
        PatientEventLeaf event = PatientEventLeaf.of("p", 0, "T", new byte[1], new byte[0], "t",
                PatientEventLeaf.noPreviousLeaf());
        assertThatThrownBy(() -> AccessRecordLeaf.decode(event.encode())).isInstanceOf(LeafFormatException.class)
                .hasMessageContaining("not an access record leaf");
        for (AccessRecordLeaf leaf : leaves) assertThat(AccessRecordLeaf.decode(leaf.encode())).isEqualTo(leaf);
        byte[] longer = java.util.Arrays.copyOf(leaves.get(0).encode(), leaves.get(0).encode().length + 1);
        assertThatThrownBy(() -> AccessRecordLeaf.decode(longer)).isInstanceOf(LeafFormatException.class);
    }
}
