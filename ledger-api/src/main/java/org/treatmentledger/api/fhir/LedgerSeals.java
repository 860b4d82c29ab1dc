package org.treatmentledger.api.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.treatmentledger.api.integrity.TreeStore;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each of a patient's entries sits in the tamper-evident log: its leaf index and the latest signed checkpoint,
 * when that checkpoint covers it. An entry written a moment ago may not be sealed yet; it then has no seal (the
 * export does not wait for the sealer, the evidence bundle does). Without the integrity log (disabled, or Axon
 * Server as the event store) nothing is sealed.
 */
public class LedgerSeals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TreeStore store;

    /** {@code store}: null when the integrity log is off. */
    public LedgerSeals(TreeStore store) {
        this.store = store;
    }

    /** Seals by entry id (the id the stored event carries). */
    public Map<String, LedgerFhirMapping.Seal> of(String patientId) {
        if (store == null) return Map.of();
        TreeStore.CheckpointRow checkpoint = store.latestCheckpoint().orElse(null);
        if (checkpoint == null) return Map.of();
        String root = Base64.getEncoder().encodeToString(checkpoint.rootHash());
        Map<String, LedgerFhirMapping.Seal> seals = new HashMap<>();
        List<Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent>> leaves = store.patientLeaves(patientId, checkpoint.treeSize());
        for (Map.Entry<TreeStore.Leaf, TreeStore.StoredEvent> row : leaves) {
            String entryId = entryId(row.getValue());
            if (entryId != null) {
                seals.put(entryId, new LedgerFhirMapping.Seal(row.getKey().leafIndex(), checkpoint.treeSize(), root,
                        checkpoint.origin()));
            }
        }
        return seals;
    }

    private static String entryId(TreeStore.StoredEvent event) {
        if (event == null || event.payload() == null) return null;
        try {
            JsonNode id = JSON.readTree(event.payload()).get("entryId");
            return id == null || id.isNull() ? null : id.asText();
        } catch (IOException notJson) {
            return null;
        }
    }
}
