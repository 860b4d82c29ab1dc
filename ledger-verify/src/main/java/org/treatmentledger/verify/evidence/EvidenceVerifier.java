package org.treatmentledger.verify.evidence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.treatmentledger.verify.leaf.LeafFormatException;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.ProofVerifier;
import org.treatmentledger.verify.merkle.Rfc9162;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteKeys;

/**
 * Verifies an evidence bundle offline, in this order, and stops at the first failure:
 * <ol>
 *   <li>the checkpoint's note is signed by a trusted key, and its JSON fields agree with the note;</li>
 *   <li>each entry's leaf is a valid leaf whose fields are the entry's: the bundle's patient, the sequence number,
 *       type and recorded time shown, and the SHA-256 of the payload and metadata bytes shown;</li>
 *   <li>the stream is whole from its start: sequence numbers 0, 1, 2, ... and each leaf names the previous entry's
 *       leaf hash (the first names 32 zero bytes), with leaf indexes increasing inside the tree;</li>
 *   <li>each leaf's inclusion proof leads to the checkpoint's root hash.</li>
 * </ol>
 */
public final class EvidenceVerifier {

    private EvidenceVerifier() {
    }

    public static Verdict verify(EvidenceBundle bundle, TrustedKeys keys) {
        try {
            return check(bundle, keys);
        } catch (Refused refused) {
            return refused.verdict();
        }
    }

    /**
     * Steps 2 to 4 alone, against a checkpoint that has already been verified (as the bundle's own checkpoint, or one
     * the caller trusts otherwise): for callers that check many streams against one checkpoint.
     */
    public static Verdict verifyEntries(EvidenceBundle bundle, CheckpointVerifier.VerifiedCheckpoint verified) {
        try {
            return checkEntries(bundle, verified);
        } catch (Refused refused) {
            return refused.verdict();
        }
    }

    private static Verdict check(EvidenceBundle bundle, TrustedKeys keys) throws Refused {
        return checkEntries(bundle,
                CheckpointVerifier.verifyDocument(bundle.checkpoint(), keys, "The bundle's checkpoint"));
    }

    private static Verdict checkEntries(EvidenceBundle bundle, CheckpointVerifier.VerifiedCheckpoint verified)
            throws Refused {
        Checkpoint checkpoint = verified.checkpoint();
        String patient = bundle.patientId();
        List<EvidenceBundle.Entry> entries = bundle.entries();
        byte[] previousLeafHash = PatientEventLeaf.noPreviousLeaf();
        long previousLeafIndex = -1;
        for (int i = 0; i < entries.size(); i++) {
            EvidenceBundle.Entry entry = entries.get(i);
            String who = "Entry " + i + " (sequence " + entry.sequenceNumber() + ") of patient " + patient;
            byte[] leafBytes = base64(entry.leaf(), "leaf", i, entry, who);
            byte[] payload = base64(entry.payload(), "payload", i, entry, who);
            byte[] metadata = base64(entry.metadata(), "metadata", i, entry, who);
            List<byte[]> proof = new ArrayList<>();
            for (int p = 0; p < entry.inclusionProof().size(); p++) {
                byte[] hash = CheckpointVerifier.strictBase64(entry.inclusionProof().get(p));
                if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
                    throw entryFailure(Verdict.Failure.MALFORMED, i, entry, who + " is malformed: hash " + p
                            + " of its inclusion proof is not the base64 of 32 bytes.");
                }
                proof.add(hash);
            }

            PatientEventLeaf leaf;
            try {
                leaf = PatientEventLeaf.decode(leafBytes);
            } catch (LeafFormatException e) {
                throw entryFailure(Verdict.Failure.LEAF_MALFORMED, i, entry, who + " has a leaf that is not a valid"
                        + " leaf (" + e.getMessage() + ").");
            }
            String altered = alteredField(leaf, patient, entry, payload, metadata);
            if (altered != null) {
                String sentence = altered.equals("patient id")
                        ? who + " is not of that patient: leaf " + entry.leafIndex() + " commits to another patient id."
                        : who + " was altered: its " + altered + " no longer matches leaf " + entry.leafIndex() + ".";
                throw entryFailure(Verdict.Failure.ENTRY_ALTERED, i, entry, sentence);
            }
            if (entry.sequenceNumber() != i) {
                throw entryFailure(Verdict.Failure.SEQUENCE_GAP, i, entry, "Entry " + i + " of patient " + patient
                        + " has sequence " + entry.sequenceNumber() + " where " + i + " was expected: an event is"
                        + " missing from the bundle, or the entries are out of order.");
            }
            if (!Arrays.equals(leaf.previousLeafHash(), previousLeafHash)) {
                String sentence = i == 0
                        ? who + " is not the start of the stream: leaf " + entry.leafIndex()
                                + " names a previous event of the patient."
                        : who + " does not follow entry " + (i - 1) + ": leaf " + entry.leafIndex()
                                + " names another event as its predecessor, so the stream was rewritten.";
                throw entryFailure(Verdict.Failure.CHAIN_BROKEN, i, entry, sentence);
            }
            if (entry.leafIndex() < 0 || entry.leafIndex() >= checkpoint.treeSize()) {
                throw entryFailure(Verdict.Failure.LEAF_INDEX_INVALID, i, entry, who + " claims leaf "
                        + entry.leafIndex() + ", outside the checkpoint's tree of size " + checkpoint.treeSize() + ".");
            }
            if (entry.leafIndex() <= previousLeafIndex) {
                throw entryFailure(Verdict.Failure.LEAF_INDEX_INVALID, i, entry, who + " is at leaf "
                        + entry.leafIndex() + ", not after entry " + (i - 1) + "'s leaf " + previousLeafIndex
                        + ": the stream is out of the ledger's append order.");
            }
            byte[] leafHash = Rfc9162.leafHash(leafBytes);
            if (!ProofVerifier.verifyInclusion(entry.leafIndex(), checkpoint.treeSize(), leafHash, proof,
                    checkpoint.rootHash())) {
                throw entryFailure(Verdict.Failure.NOT_IN_CHECKPOINT, i, entry, who + " is not in the signed"
                        + " checkpoint: the inclusion proof of leaf " + entry.leafIndex() + " does not lead to the"
                        + " root hash of tree size " + checkpoint.treeSize() + ".");
            }
            previousLeafHash = leafHash;
            previousLeafIndex = entry.leafIndex();
        }
        String signedBy = "signed by trusted key " + verified.signature().name() + " (key ID "
                + NoteKeys.hex(verified.signature().keyId()) + ")";
        if (entries.isEmpty()) {
            return Verdict.ok("Verified: the checkpoint of " + checkpoint.origin() + " at tree size "
                    + checkpoint.treeSize() + " is " + signedBy + "; the bundle holds no events of patient " + patient
                    + ".");
        }
        return Verdict.ok("Verified: the bundle's " + entries.size() + " event" + (entries.size() == 1 ? "" : "s")
                + " of patient " + patient + " (sequence" + (entries.size() == 1 ? " 0" : "s 0 to "
                + (entries.size() - 1)) + ") match their leaves, follow each other from the stream's start without"
                + " a gap, and are in the checkpoint of " + checkpoint.origin() + " at tree size "
                + checkpoint.treeSize() + ", " + signedBy + ".");
    }

    /** The first field of the entry that the leaf does not commit to, or null if the leaf is the entry's. */
    private static String alteredField(PatientEventLeaf leaf, String patient, EvidenceBundle.Entry entry,
                                       byte[] payload, byte[] metadata) {
        if (!leaf.patientId().equals(patient)) {
            return "patient id";
        }
        if (leaf.sequenceNumber() != entry.sequenceNumber()) {
            return "sequence number";
        }
        if (!leaf.eventType().equals(entry.type())) {
            return "event type";
        }
        if (!Arrays.equals(leaf.payloadSha256(), Rfc9162.sha256(payload))) {
            return "payload";
        }
        if (!Arrays.equals(leaf.metadataSha256(), Rfc9162.sha256(metadata))) {
            return "metadata";
        }
        if (!leaf.recordedAt().equals(entry.recordedAt())) {
            return "recorded time";
        }
        return null;
    }

    private static byte[] base64(String text, String field, int i, EvidenceBundle.Entry entry, String who)
            throws Refused {
        byte[] bytes = CheckpointVerifier.strictBase64(text);
        if (bytes == null) {
            throw entryFailure(Verdict.Failure.MALFORMED, i, entry, who + " is malformed: its " + field
                    + " is not base64.");
        }
        return bytes;
    }

    private static Refused entryFailure(Verdict.Failure failure, int i, EvidenceBundle.Entry entry, String sentence) {
        return new Refused(Verdict.failEntry(failure, i, entry.leafIndex(), entry.sequenceNumber(), sentence));
    }
}
