package org.treatmentledger.verify.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.treatmentledger.verify.leaf.AccessRecordLeaf;
import org.treatmentledger.verify.leaf.LeafFormatException;
import org.treatmentledger.verify.merkle.ProofVerifier;
import org.treatmentledger.verify.merkle.Rfc9162;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteKeys;

/**
 * Verifies exported access records offline, in this order, and stops at the first failure:
 * <ol>
 *   <li>the checkpoint's note is signed by a trusted key, and its JSON fields agree with the note;</li>
 *   <li>each record's leaf is a valid access record leaf whose fields are the record's as shown;</li>
 *   <li>for one patient's access log ({@code patientId} set): the records are the patient's, positions 0, 1, 2, ...
 *       and each leaf names the previous record's leaf hash, so none was left out or inserted; leaf indexes increase;</li>
 *   <li>each leaf's inclusion proof leads to the checkpoint's root hash.</li>
 * </ol>
 * A failure's sentence names the record by its position in the export, its id, time, user and action.
 */
public final class AccessLogVerifier {

    private AccessLogVerifier() {
    }

    public static Verdict verify(AccessLogBundle bundle, TrustedKeys keys) {
        try {
            return check(bundle, keys);
        } catch (Refused refused) {
            return refused.verdict();
        }
    }

    private static Verdict check(AccessLogBundle bundle, TrustedKeys keys) throws Refused {
        CheckpointVerifier.VerifiedCheckpoint verified =
                CheckpointVerifier.verifyDocument(bundle.checkpoint(), keys, "The access log's checkpoint");
        Checkpoint checkpoint = verified.checkpoint();
        String patient = bundle.patientId();
        boolean whole = patient != null;
        byte[] previousLeafHash = AccessRecordLeaf.noPreviousLeaf();
        long previousLeafIndex = -1;
        List<AccessLogBundle.Entry> entries = bundle.entries();
        for (int i = 0; i < entries.size(); i++) {
            AccessLogBundle.Entry entry = entries.get(i);
            String who = "Access record " + i + " (id " + entry.id() + ", " + entry.at() + ", " + entry.user() + " "
                    + entry.action() + " " + entry.resource() + ")";
            byte[] leafBytes = CheckpointVerifier.strictBase64(entry.leaf());
            if (leafBytes == null) throw failure(Verdict.Failure.MALFORMED, i, entry, who + " is malformed: its leaf is not base64.");
            List<byte[]> proof = new ArrayList<>();
            for (int p = 0; p < entry.inclusionProof().size(); p++) {
                byte[] hash = CheckpointVerifier.strictBase64(entry.inclusionProof().get(p));
                if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
                    throw failure(Verdict.Failure.MALFORMED, i, entry, who + " is malformed: hash " + p
                            + " of its inclusion proof is not the base64 of 32 bytes.");
                }
                proof.add(hash);
            }
            AccessRecordLeaf leaf;
            try {
                leaf = AccessRecordLeaf.decode(leafBytes);
            } catch (LeafFormatException e) {
                throw failure(Verdict.Failure.LEAF_MALFORMED, i, entry, who + " has a leaf that is not a valid access"
                        + " record leaf (" + e.getMessage() + ").");
            }
            String altered = alteredField(leaf, entry);
            if (altered != null) {
                throw failure(Verdict.Failure.ENTRY_ALTERED, i, entry, who + " was altered: its " + altered
                        + " no longer matches leaf " + entry.leafIndex() + ".");
            }
            if (whole) {
                if (!patient.equals(entry.patientId())) {
                    throw failure(Verdict.Failure.ENTRY_ALTERED, i, entry, who + " is not of patient " + patient
                            + ": leaf " + entry.leafIndex() + " commits to another patient id.");
                }
                if (entry.patientSequence() != i) {
                    throw failure(Verdict.Failure.SEQUENCE_GAP, i, entry, who + " is the patient's record "
                            + entry.patientSequence() + " where " + i + " was expected: a record of patient " + patient
                            + " is missing from the export, or the records are out of order.");
                }
                if (!Arrays.equals(leaf.previousLeafHash(), previousLeafHash)) {
                    throw failure(Verdict.Failure.CHAIN_BROKEN, i, entry, i == 0
                            ? who + " is not the patient's first record: leaf " + entry.leafIndex()
                                    + " names an earlier record."
                            : who + " does not follow record " + (i - 1) + ": leaf " + entry.leafIndex()
                                    + " names another record as its predecessor, so the log was rewritten.");
                }
                if (entry.leafIndex() <= previousLeafIndex) {
                    throw failure(Verdict.Failure.LEAF_INDEX_INVALID, i, entry, who + " is at leaf "
                            + entry.leafIndex() + ", not after record " + (i - 1) + "'s leaf " + previousLeafIndex + ".");
                }
            }
            if (entry.leafIndex() < 0 || entry.leafIndex() >= checkpoint.treeSize()) {
                throw failure(Verdict.Failure.LEAF_INDEX_INVALID, i, entry, who + " claims leaf " + entry.leafIndex()
                        + ", outside the checkpoint's tree of size " + checkpoint.treeSize() + ".");
            }
            byte[] leafHash = Rfc9162.leafHash(leafBytes);
            if (!ProofVerifier.verifyInclusion(entry.leafIndex(), checkpoint.treeSize(), leafHash, proof,
                    checkpoint.rootHash())) {
                throw failure(Verdict.Failure.NOT_IN_CHECKPOINT, i, entry, who + " is not in the signed checkpoint:"
                        + " the inclusion proof of leaf " + entry.leafIndex() + " does not lead to the root hash of"
                        + " tree size " + checkpoint.treeSize() + ".");
            }
            previousLeafHash = leafHash;
            previousLeafIndex = entry.leafIndex();
        }
        String signedBy = "the checkpoint of " + checkpoint.origin() + " at tree size " + checkpoint.treeSize()
                + ", signed by trusted key " + verified.signature().name() + " (key ID "
                + NoteKeys.hex(verified.signature().keyId()) + ")";
        int n = entries.size();
        String records = n + " access record" + (n == 1 ? "" : "s");
        if (whole) {
            return Verdict.ok("Verified: the " + records + " of patient " + patient + " match their leaves, follow"
                    + " each other from the patient's first record without a gap, and are in " + signedBy + ".");
        }
        return Verdict.ok("Verified: the " + records + " match their leaves and are in " + signedBy
                + " (records of one request each; the export claims no patient's whole log).");
    }

    /** The first field of the record that its leaf does not commit to, or null. */
    private static String alteredField(AccessRecordLeaf leaf, AccessLogBundle.Entry e) {
        if (leaf.recordId() != e.id()) return "id";
        if (!leaf.at().equals(e.at())) return "time";
        if (!leaf.user().equals(e.user())) return "user";
        if (!Objects.equals(leaf.role(), e.role())) return "role";
        if (!Objects.equals(leaf.clinic(), e.clinic())) return "clinic";
        if (!leaf.callerClinics().equals(e.callerClinics())) return "caller's clinics";
        if (!Objects.equals(leaf.patientId(), e.patientId())) return "patient id";
        if (leaf.patientSequence() != e.patientSequence()) return "position in the patient's log";
        if (!leaf.action().equals(e.action())) return "action";
        if (!leaf.resource().equals(e.resource())) return "resource";
        if (leaf.status() != e.status()) return "status";
        if (!leaf.purpose().equals(e.purpose())) return "purpose of use";
        return null;
    }

    private static Refused failure(Verdict.Failure failure, int i, AccessLogBundle.Entry entry, String sentence) {
        return new Refused(Verdict.failEntry(failure, i, entry.leafIndex(), entry.patientSequence(), sentence));
    }
}
