package org.treatmentledger.verify.evidence;

/**
 * The outcome of a verification: whether it holds, and one sentence a reviewer understands. A failure also names
 * what failed and, when it is one entry, which (its position in the bundle, leaf index and sequence number).
 */
public record Verdict(boolean verified, String sentence, Failure failure, Integer entry, Long leafIndex,
                      Long sequenceNumber) {

    public enum Failure {
        /** The document is not of the documented shape (missing field, bad base64, a hash that is not 32 bytes). */
        MALFORMED,
        /** The checkpoint note is not signed by a trusted key, or a trusted key's signature fails. */
        CHECKPOINT_NOT_TRUSTED,
        /** The checkpoint's JSON fields say something other than its signed note. */
        CHECKPOINT_FIELDS_ALTERED,
        /** An entry's leaf bytes are not a valid leaf. */
        LEAF_MALFORMED,
        /** An entry's fields (payload, metadata, type, time, sequence, patient) differ from what its leaf commits to. */
        ENTRY_ALTERED,
        /** The stream's sequence numbers are not 0, 1, 2, ... (an event missing, duplicated or out of order). */
        SEQUENCE_GAP,
        /** An entry's leaf does not name the leaf of the entry before it as its predecessor. */
        CHAIN_BROKEN,
        /** Leaf indexes are outside the tree or not in the stream's order. */
        LEAF_INDEX_INVALID,
        /** An entry's inclusion proof does not lead from its leaf to the checkpoint's root. */
        NOT_IN_CHECKPOINT,
        /** The two checkpoints are of different logs. */
        DIFFERENT_LOG,
        /** The consistency proof is not for the two checkpoints' tree sizes. */
        PROOF_SIZES_MISMATCH,
        /** The newer checkpoint's tree does not extend the older one's: history was rewritten. */
        NOT_CONSISTENT
    }

    static Verdict ok(String sentence) {
        return new Verdict(true, sentence, null, null, null, null);
    }

    static Verdict fail(Failure failure, String sentence) {
        return new Verdict(false, sentence, failure, null, null, null);
    }

    static Verdict failEntry(Failure failure, int entry, long leafIndex, long sequenceNumber, String sentence) {
        return new Verdict(false, sentence, failure, entry, leafIndex, sequenceNumber);
    }
}
