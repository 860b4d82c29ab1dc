package org.treatmentledger.verify.evidence;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Access records with proofs against one signed checkpoint of the access log's tree, as the server exports them
 * ({@code GET /api/patients/{patientId}/access-log/evidence}: one patient's whole access log, {@code patientId} set;
 * {@code GET /api/audit/access/proofs/inclusion}: one record, {@code patientId} null). Each entry repeats the
 * record's fields in plain JSON, so that a reviewer reads them and the verifier names the one that was changed.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AccessLogBundle(String patientId, CheckpointDocument checkpoint, List<Entry> entries) {

    public AccessLogBundle {
        if (checkpoint == null) throw new IllegalArgumentException("checkpoint");
        entries = List.copyOf(entries);
    }

    /** One access record, its leaf and its inclusion proof. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Entry(long leafIndex, String leaf, long id, String at, String user, String role, String clinic,
                        List<String> callerClinics, String patientId, long patientSequence, String action,
                        String resource, int status, String purpose, List<String> inclusionProof) {

        public Entry {
            callerClinics = List.copyOf(callerClinics);
            inclusionProof = List.copyOf(inclusionProof);
        }
    }

    public static AccessLogBundle parse(byte[] json) {
        JsonNode root = Json.read(json, "access log");
        String patientId = Json.optionalText(root, "patientId", "the access log");
        CheckpointDocument checkpoint = CheckpointDocument.from(
                Json.object(root, "checkpoint", "the access log"), "the access log's checkpoint");
        List<Entry> entries = new ArrayList<>();
        List<JsonNode> items = Json.array(root, "entries", "the access log");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "record " + i + " of the access log";
            if (!item.isObject()) throw new BundleFormatException(where + " is not a JSON object");
            long status = Json.integer(item, "status", where);
            if (status < 0 || status > 0xFFFF) throw new BundleFormatException(where + " has a status out of range");
            entries.add(new Entry(
                    Json.integer(item, "leafIndex", where),
                    Json.text(item, "leaf", where),
                    Json.integer(item, "id", where),
                    Json.text(item, "at", where),
                    Json.text(item, "user", where),
                    Json.optionalText(item, "role", where),
                    Json.optionalText(item, "clinic", where),
                    Json.textArray(item, "callerClinics", where),
                    Json.optionalText(item, "patientId", where),
                    Json.integer(item, "patientSequence", where),
                    Json.text(item, "action", where),
                    Json.text(item, "resource", where),
                    (int) status,
                    Json.text(item, "purpose", where),
                    Json.textArray(item, "inclusionProof", where)));
        }
        return new AccessLogBundle(patientId, checkpoint, entries);
    }

    public byte[] toJson() {
        return Json.write(this);
    }
}
