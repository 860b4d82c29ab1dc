package org.treatmentledger.verify.evidence;

import java.util.ArrayList;
import java.util.List;
import org.treatmentledger.verify.merkle.ProofVerifier;
import org.treatmentledger.verify.merkle.Rfc9162;
import org.treatmentledger.verify.note.Checkpoint;

/**
 * Checks that a newer checkpoint extends a reviewer's saved one: both notes signed by trusted keys (the saved one may
 * be signed by a key since rotated out, if the reviewer still trusts it), same origin, a consistency proof for
 * exactly their two tree sizes, and that the proof verifies (RFC 9162 section 2.1.4.2).
 */
public final class ConsistencyVerifier {

    private ConsistencyVerifier() {
    }

    public static Verdict verify(String savedNote, String newerNote, ConsistencyProofDocument proof, TrustedKeys keys) {
        try {
            return check(savedNote, newerNote, proof, keys);
        } catch (Refused refused) {
            return refused.verdict();
        }
    }

    private static Verdict check(String savedNote, String newerNote, ConsistencyProofDocument proof, TrustedKeys keys)
            throws Refused {
        Checkpoint saved = CheckpointVerifier.verifyNote(savedNote, keys, "The saved checkpoint").checkpoint();
        Checkpoint newer = CheckpointVerifier.verifyNote(newerNote, keys, "The newer checkpoint").checkpoint();
        if (!saved.origin().equals(newer.origin())) {
            return Verdict.fail(Verdict.Failure.DIFFERENT_LOG, "The checkpoints are of different logs: "
                    + saved.origin() + " and " + newer.origin() + ".");
        }
        if (newer.treeSize() < saved.treeSize()) {
            return Verdict.fail(Verdict.Failure.NOT_CONSISTENT, "The newer checkpoint (tree size " + newer.treeSize()
                    + ") is smaller than the saved one (tree size " + saved.treeSize() + "): the log lost entries"
                    + " or the checkpoints are swapped.");
        }
        if (proof.from() != saved.treeSize() || proof.to() != newer.treeSize()) {
            return Verdict.fail(Verdict.Failure.PROOF_SIZES_MISMATCH, "The consistency proof is from tree size "
                    + proof.from() + " to " + proof.to() + ", but the checkpoints are of tree sizes "
                    + saved.treeSize() + " and " + newer.treeSize() + ".");
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 0; i < proof.hashes().size(); i++) {
            byte[] hash = CheckpointVerifier.strictBase64(proof.hashes().get(i));
            if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
                return Verdict.fail(Verdict.Failure.MALFORMED, "The consistency proof is malformed: hash " + i
                        + " is not the base64 of 32 bytes.");
            }
            hashes.add(hash);
        }
        if (saved.treeSize() == 0) {
            // Every tree extends the empty one; RFC 9162 defines no proof for it, so only an empty one is accepted.
            return hashes.isEmpty()
                    ? Verdict.ok("Consistent: the saved checkpoint is of the empty tree, which every later tree of "
                            + saved.origin() + " extends.")
                    : Verdict.fail(Verdict.Failure.MALFORMED, "The consistency proof from the empty tree must be"
                            + " empty.");
        }
        if (!ProofVerifier.verifyConsistency(saved.treeSize(), newer.treeSize(), saved.rootHash(), newer.rootHash(),
                hashes)) {
            return Verdict.fail(Verdict.Failure.NOT_CONSISTENT, "The newer checkpoint (tree size " + newer.treeSize()
                    + ") is not proven to extend the saved one (tree size " + saved.treeSize() + "): the proof does not"
                    + " connect their root hashes, so the first " + saved.treeSize() + " entries were rewritten, or"
                    + " the proof is not the ledger's.");
        }
        return Verdict.ok("Consistent: the checkpoint of " + newer.origin() + " at tree size " + newer.treeSize()
                + " extends the saved one at tree size " + saved.treeSize() + " without changing any of its "
                + saved.treeSize() + " entries; both are signed by trusted keys.");
    }
}
