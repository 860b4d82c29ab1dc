package org.treatmentledger.verify.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One patient's stream with proofs, as {@code GET /api/patients/{patientId}/evidence} answers it. Binary values are
 * kept as the base64 text the document holds, so that a verifier can say which field of which entry is wrong.
 */
public record EvidenceBundle(String patientId, CheckpointDocument checkpoint, List<Entry> entries) {

    public EvidenceBundle {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(checkpoint, "checkpoint");
        entries = List.copyOf(entries);
    }

    /** One stored event: its leaf, the stored bytes the leaf commits to, and its inclusion proof. */
    public record Entry(long leafIndex, String leaf, long sequenceNumber, String type, String payload,
                        String metadata, String recordedAt, List<String> inclusionProof) {

        public Entry {
            inclusionProof = List.copyOf(inclusionProof);
        }
    }

    public static EvidenceBundle parse(byte[] json) {
        JsonNode root = Json.read(json, "evidence bundle");
        String patientId = Json.text(root, "patientId", "the bundle");
        CheckpointDocument checkpoint = CheckpointDocument.from(
                Json.object(root, "checkpoint", "the bundle"), "the bundle's checkpoint");
        List<Entry> entries = new ArrayList<>();
        List<JsonNode> items = Json.array(root, "entries", "the bundle");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "entry " + i + " of the bundle";
            if (!item.isObject()) {
                throw new BundleFormatException(where + " is not a JSON object");
            }
            entries.add(new Entry(
                    Json.integer(item, "leafIndex", where),
                    Json.text(item, "leaf", where),
                    Json.integer(item, "sequenceNumber", where),
                    Json.text(item, "type", where),
                    Json.text(item, "payload", where),
                    Json.text(item, "metadata", where),
                    Json.text(item, "recordedAt", where),
                    Json.textArray(item, "inclusionProof", where)));
        }
        return new EvidenceBundle(patientId, checkpoint, entries);
    }

    public byte[] toJson() {
        return Json.write(this);
    }
}
