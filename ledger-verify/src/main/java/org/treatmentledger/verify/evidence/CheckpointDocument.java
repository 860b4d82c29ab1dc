package org.treatmentledger.verify.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteKeys;
import org.treatmentledger.verify.note.NoteSigner;
import org.treatmentledger.verify.note.SignedNote;

/**
 * The checkpoint as the HTTP API answers it ({@code GET /api/ledger/checkpoint}, and inside an evidence bundle):
 * {@code {"origin", "treeSize", "rootHash", "note", "keyId", "publicKey"}}. Only {@code note} is signed; the other
 * fields repeat it for convenience, and a verifier checks that they agree with it. {@code keyId} is the signing key's
 * 32-bit key ID as 8 lowercase hex digits, {@code publicKey} the base64 of its raw 32-byte Ed25519 key.
 */
public record CheckpointDocument(String origin, long treeSize, String rootHash, String note, String keyId,
                                 String publicKey) {

    /** The document for a checkpoint signed by {@code signer} (whose key name is the log's origin). */
    public static CheckpointDocument of(Checkpoint checkpoint, NoteSigner signer) {
        SignedNote note = checkpoint.sign(signer);
        return new CheckpointDocument(checkpoint.origin(), checkpoint.treeSize(), checkpoint.rootHashBase64(),
                note.format(), NoteKeys.hex(signer.keyId()),
                Base64.getEncoder().encodeToString(signer.verifierKey().publicKey()));
    }

    public static CheckpointDocument parse(byte[] json) {
        return from(Json.read(json, "checkpoint"), "the checkpoint");
    }

    static CheckpointDocument from(JsonNode node, String where) {
        return new CheckpointDocument(
                Json.text(node, "origin", where),
                Json.integer(node, "treeSize", where),
                Json.text(node, "rootHash", where),
                Json.text(node, "note", where),
                Json.text(node, "keyId", where),
                Json.text(node, "publicKey", where));
    }

    public byte[] toJson() {
        return Json.write(this);
    }
}
