package org.treatmentledger.api.integrity;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.treatmentledger.verify.evidence.CheckpointDocument;

import java.util.Base64;
import java.util.List;

/** The integrity endpoints' bodies; the same shapes ledger-verify reads (evidence.CheckpointDocument, EvidenceBundle). */
public final class IntegrityViews {

    private IntegrityViews() { }


    @Schema(name = "LedgerCheckpoint", description = "A signed checkpoint of the ledger's Merkle tree (C2SP tlog-checkpoint as a signed note)")
    public record CheckpointView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The log's name: the note's first line and the signing key's name",
                    example = "ledger.clinic.example/treatments") String origin,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Leaves in the tree", minimum = "0") long treeSize,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the 32-byte RFC 9162 root hash") String rootHash,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The signed note: origin, tree size and root hash lines, a blank line, one signature line per key") String note,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The signing key's ID, 8 lowercase hex digits", pattern = "^[0-9a-f]{8}$") String keyId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the signing key's raw 32-byte Ed25519 public key. A reviewer "
                    + "checks the note against a key obtained elsewhere, never against this one alone") String publicKey) {

        public static CheckpointView of(TreeStore.CheckpointRow row) {
            Base64.Encoder base64 = Base64.getEncoder();
            return new CheckpointView(row.origin(), row.treeSize(), base64.encodeToString(row.rootHash()), row.note(),
                    row.keyId(), base64.encodeToString(row.publicKey()));
        }

        /** The same document as ledger-verify reads it. */
        public CheckpointDocument document() {
            return new CheckpointDocument(origin, treeSize, rootHash, note, keyId, publicKey);
        }
    }

    @Schema(name = "LedgerConsistencyProof", description = "RFC 9162 consistency proof between two checkpointed tree sizes")
    public record ConsistencyView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1") long from,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "1") long to,
            @ArraySchema(schema = @Schema(description = "Base64 of a 32-byte hash"), arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "PROOF(from, D[to]) of RFC 9162 section 2.1.4.1; empty when from = to")) List<String> hashes) { }

    @Schema(name = "EvidenceEntry", description = "One stored event: its leaf, the stored bytes the leaf commits to, its inclusion proof")
    public record EntryView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0") long leafIndex,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the leaf bytes (docs/INTEGRITY.md, leaf encoding version 1)") String leaf,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0") long sequenceNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The stored event type") String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the stored payload bytes") String payload,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the stored metadata bytes") String metadata,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The stored timestamp, as stored") String recordedAt,
            @ArraySchema(schema = @Schema(description = "Base64 of a 32-byte hash"), arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "PATH(leafIndex, D[treeSize]) of RFC 9162 section 2.1.3.1, from the leaf's sibling up")) List<String> inclusionProof) { }

    @Schema(name = "EvidenceBundle", description = "A patient's whole stream, each event proven against one signed checkpoint; "
            + "verify offline with ledger-verify")
    public record EvidenceView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String patientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) CheckpointView checkpoint,
            @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Every event of the stream in sequence order")) List<EntryView> entries) { }

    @Schema(name = "LedgerMismatch", description = "The first place where the stored events, leaves, tree or checkpoints disagree")
    public record MismatchView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "The leaf at fault (for a tree node, the first leaf it covers)") long leafIndex,
            @Schema(description = "The patient of that leaf as the log recorded it") String patientId,
            @Schema(description = "The sequence number of that leaf as the log recorded it") Long sequenceNumber,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What differs: PAYLOAD_CHANGED, METADATA_CHANGED, TIMESTAMP_CHANGED, "
                    + "TYPE_CHANGED, PATIENT_CHANGED, SEQUENCE_NUMBER_CHANGED, CHAIN_BROKEN, EVENT_MISSING, EVENT_NOT_IN_TREE, "
                    + "LEAF_MISSING, LEAF_OUT_OF_ORDER, LEAF_MALFORMED, LEAF_ROW_CHANGED, TREE_NODE_CHANGED, "
                    + "CHECKPOINT_SIGNATURE_INVALID, CHECKPOINT_ROW_CHANGED, CHECKPOINT_ROOT_MISMATCH, CHECKPOINT_BEYOND_TREE")
            String reason) { }

    @Schema(name = "LedgerVerification", description = "The whole-store check")
    public record VerifyView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean verified,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "Leaves in the tree") long treeSize,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "Checkpoints whose signature and root were checked") long checkpointsChecked,
            @JsonInclude(JsonInclude.Include.ALWAYS)
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "null when verified") MismatchView firstMismatch) {

        static VerifyView of(StoreVerifier.Report report) {
            StoreVerifier.Mismatch m = report.firstMismatch();
            return new VerifyView(report.verified(), report.treeSize(), report.checkpointsChecked(),
                    m == null ? null : new MismatchView(m.leafIndex(), m.patientId(), m.sequenceNumber(), m.reason()));
        }
    }
}
