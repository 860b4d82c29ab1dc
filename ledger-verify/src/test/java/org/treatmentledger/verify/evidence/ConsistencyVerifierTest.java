package org.treatmentledger.verify.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.treatmentledger.verify.evidence.Verdict.Failure;
import org.treatmentledger.verify.note.NoteSigner;

class ConsistencyVerifierTest {

    private final NoteSigner signer = LedgerFixture.newSigner();
    private final TrustedKeys keys = TrustedKeys.ofRaw(signer.verifierKey().publicKey());

    private LedgerFixture ledger(boolean rewriteEvent3) {
        LedgerFixture ledger = new LedgerFixture(signer);
        for (int i = 0; i < 20; i++) {
            String payload = "{\"units\":" + (rewriteEvent3 && i == 3 ? 99 : i) + "}";
            ledger.append("patient-" + (i % 3), "InjectionRecorded", payload);
        }
        return ledger;
    }

    @Test
    void aNewerCheckpointOfTheSameHistoryIsConsistent() {
        LedgerFixture ledger = ledger(false);
        String saved = ledger.checkpoint(7).note();
        String newer = ledger.checkpoint(20).note();

        Verdict verdict = ConsistencyVerifier.verify(saved, newer, ledger.consistency(7, 20), keys);

        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        assertThat(verdict.sentence()).isEqualTo("Consistent: the checkpoint of ledger.example/treatments at tree size"
                + " 20 extends the saved one at tree size 7 without changing any of its 7 entries; both are signed by"
                + " trusted keys.");
        for (int from = 1; from <= 20; from++) {
            assertThat(ConsistencyVerifier.verify(ledger.checkpoint(from).note(), newer, ledger.consistency(from, 20),
                    keys).verified()).as("from %d", from).isTrue();
        }
    }

    @Test
    void aRewrittenHistoryIsNotConsistentWithASavedCheckpoint() {
        LedgerFixture honest = ledger(false);
        LedgerFixture rewritten = ledger(true);
        String saved = honest.checkpoint(7).note();
        String rewrittenNewer = rewritten.checkpoint(20).note();

        // The rewrite is signed with the real key, so its own bundles verify: only the saved checkpoint shows it.
        assertThat(EvidenceVerifier.verify(rewritten.bundle("patient-0", 20), keys).verified()).isTrue();

        Verdict withRewrittenProof = ConsistencyVerifier.verify(saved, rewrittenNewer, rewritten.consistency(7, 20),
                keys);
        assertThat(withRewrittenProof.failure()).isEqualTo(Failure.NOT_CONSISTENT);
        assertThat(withRewrittenProof.sentence()).isEqualTo("The newer checkpoint (tree size 20) is not proven to"
                + " extend the saved one (tree size 7): the proof does not connect their root hashes, so the first 7"
                + " entries were rewritten, or the proof is not the ledger's.");
        assertThat(ConsistencyVerifier.verify(saved, rewrittenNewer, honest.consistency(7, 20), keys).failure())
                .isEqualTo(Failure.NOT_CONSISTENT);
        // A rewrite after the saved size is not a rewrite of what the reviewer saw.
        assertThat(ConsistencyVerifier.verify(honest.checkpoint(3).note(), rewrittenNewer,
                rewritten.consistency(3, 20), keys).verified()).isTrue();
    }

    @Test
    void everyEditedProofHashFails() {
        LedgerFixture ledger = ledger(false);
        String saved = ledger.checkpoint(6).note();
        String newer = ledger.checkpoint(19).note();
        ConsistencyProofDocument proof = ledger.consistency(6, 19);
        for (int h = 0; h < proof.hashes().size(); h++) {
            byte[] hash = Base64.getDecoder().decode(proof.hashes().get(h));
            for (int b = 0; b < hash.length; b++) {
                byte[] changed = hash.clone();
                changed[b] ^= 0x01;
                List<String> hashes = new ArrayList<>(proof.hashes());
                hashes.set(h, Base64.getEncoder().encodeToString(changed));
                assertThat(ConsistencyVerifier.verify(saved, newer, new ConsistencyProofDocument(6, 19, hashes), keys)
                        .failure()).as("hash %d byte %d", h, b).isEqualTo(Failure.NOT_CONSISTENT);
            }
            List<String> fewer = new ArrayList<>(proof.hashes());
            fewer.remove(h);
            assertThat(ConsistencyVerifier.verify(saved, newer, new ConsistencyProofDocument(6, 19, fewer), keys)
                    .verified()).isFalse();
        }
    }

    @Test
    void mismatchedSizesLogsAndKeysFail() {
        LedgerFixture ledger = ledger(false);
        String saved = ledger.checkpoint(7).note();
        String newer = ledger.checkpoint(20).note();

        assertThat(ConsistencyVerifier.verify(newer, saved, ledger.consistency(7, 20), keys).failure())
                .isEqualTo(Failure.NOT_CONSISTENT);
        assertThat(ConsistencyVerifier.verify(saved, newer, ledger.consistency(8, 20), keys).failure())
                .isEqualTo(Failure.PROOF_SIZES_MISMATCH);
        assertThat(ConsistencyVerifier.verify(saved, newer,
                new ConsistencyProofDocument(7, 20, List.of("not base64")), keys).failure())
                .isEqualTo(Failure.MALFORMED);
        assertThat(ConsistencyVerifier.verify(saved, saved, ledger.consistency(7, 7), keys).verified()).isTrue();

        NoteSigner other = LedgerFixture.newSigner();
        LedgerFixture foreign = new LedgerFixture(other);
        foreign.append("x", "PatientRegistered", "{}");
        assertThat(ConsistencyVerifier.verify(saved, foreign.checkpoint(1).note(), ledger.consistency(7, 20), keys)
                .failure()).isEqualTo(Failure.CHECKPOINT_NOT_TRUSTED);
        // Rotation: the saved checkpoint is signed by the old key, the newer by the new one; trust both.
        LedgerFixture rotated = new LedgerFixture(other);
        for (int i = 0; i < 20; i++) {
            rotated.append("patient-" + (i % 3), "InjectionRecorded", "{\"units\":" + i + "}");
        }
        assertThat(ConsistencyVerifier.verify(saved, rotated.checkpoint(20).note(), ledger.consistency(7, 20),
                keys.and(TrustedKeys.of(other.verifierKey()))).verified()).isTrue();
    }
}
