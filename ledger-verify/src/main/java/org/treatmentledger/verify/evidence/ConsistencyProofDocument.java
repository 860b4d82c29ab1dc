package org.treatmentledger.verify.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code GET /api/ledger/proofs/consistency?from=M&to=N}: {@code {"from", "to", "hashes": [base64, ...]}}. */
public record ConsistencyProofDocument(long from, long to, List<String> hashes) {

    public ConsistencyProofDocument {
        hashes = List.copyOf(hashes);
    }

    public static ConsistencyProofDocument parse(byte[] json) {
        JsonNode root = Json.read(json, "consistency proof");
        return new ConsistencyProofDocument(
                Json.integer(root, "from", "the consistency proof"),
                Json.integer(root, "to", "the consistency proof"),
                Json.textArray(root, "hashes", "the consistency proof"));
    }

    public byte[] toJson() {
        return Json.write(this);
    }
}
