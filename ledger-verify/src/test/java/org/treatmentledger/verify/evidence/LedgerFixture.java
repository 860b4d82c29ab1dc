package org.treatmentledger.verify.evidence;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.InMemoryTree;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteSigner;
import org.treatmentledger.verify.merkle.Rfc9162;

/** What the server will do, in memory: append events of several patients as leaves, sign checkpoints, issue bundles. */
final class LedgerFixture {

    static final String ORIGIN = "ledger.example/treatments";

    record Stored(long leafIndex, String patientId, long sequenceNumber, String type, byte[] payload, byte[] metadata,
                  String recordedAt, byte[] leaf) {
    }

    private final NoteSigner signer;
    private final List<Stored> events = new ArrayList<>();
    private final Map<String, byte[]> lastLeafHash = new HashMap<>();
    private final Map<String, Long> nextSequence = new HashMap<>();
    private final InMemoryTree tree = new InMemoryTree();
    private Instant clock = Instant.parse("2026-03-02T09:30:00.123Z");

    LedgerFixture(NoteSigner signer) {
        this.signer = signer;
    }

    static NoteSigner newSigner() {
        return NoteSigner.generate(ORIGIN, new SecureRandom());
    }

    Stored append(String patientId, String type, String payloadJson) {
        return append(patientId, nextSequence.getOrDefault(patientId, 0L),
                lastLeafHash.getOrDefault(patientId, PatientEventLeaf.noPreviousLeaf()), type, payloadJson);
    }

    /** Appends with a chosen sequence number and predecessor, as a faulty or dishonest writer could. */
    Stored append(String patientId, long sequence, byte[] previous, String type, String payloadJson) {
        byte[] payload = payloadJson.getBytes(StandardCharsets.UTF_8);
        byte[] metadata = ("{\"recordedBy\":\"injector\",\"n\":" + events.size() + "}").getBytes(StandardCharsets.UTF_8);
        clock = clock.plusMillis(1_250);
        String recordedAt = clock.toString();
        PatientEventLeaf leaf = PatientEventLeaf.of(patientId, sequence, type, payload, metadata, recordedAt, previous);
        Stored stored = new Stored(events.size(), patientId, sequence, type, payload, metadata, recordedAt,
                leaf.encode());
        events.add(stored);
        tree.append(leaf.leafHash());
        lastLeafHash.put(patientId, leaf.leafHash());
        nextSequence.put(patientId, sequence + 1);
        return stored;
    }

    /** A ledger where patient A has {@code ownEvents} events among those of B and C. */
    static LedgerFixture interleaved(NoteSigner signer, int ownEvents) {
        LedgerFixture ledger = new LedgerFixture(signer);
        ledger.append("patient-B", "PatientRegistered", "{\"sex\":\"MALE\"}");
        for (int i = 0; i < ownEvents; i++) {
            ledger.append("patient-A", i == 0 ? "PatientRegistered" : "InjectionRecorded",
                    "{\"units\":" + (20 + i) + ",\"site\":\"GLABELLA\"}");
            ledger.append("patient-C", "PhotoRecorded", "{\"photo\":" + i + "}");
            if (i % 2 == 0) {
                ledger.append("patient-B", "LaserSessionRecorded", "{\"zones\":[\"CHEEKS\"]}");
            }
        }
        return ledger;
    }

    static byte[] leafHash(Stored stored) {
        return Rfc9162.leafHash(stored.leaf());
    }

    /** The bundle of exactly these stored events, proven at the tree's current size. */
    EvidenceBundle bundleOf(String patientId, List<Stored> chosen) {
        List<EvidenceBundle.Entry> entries = new ArrayList<>();
        for (Stored event : chosen) {
            entries.add(new EvidenceBundle.Entry(event.leafIndex(), b64(event.leaf()), event.sequenceNumber(),
                    event.type(), b64(event.payload()), b64(event.metadata()), event.recordedAt(),
                    tree.inclusionProof(event.leafIndex(), size()).stream().map(LedgerFixture::b64).toList()));
        }
        return new EvidenceBundle(patientId, checkpoint(size()), entries);
    }

    long size() {
        return tree.size();
    }

    List<Stored> events() {
        return events;
    }

    CheckpointDocument checkpoint(long size) {
        return CheckpointDocument.of(new Checkpoint(ORIGIN, size, tree.rootHash(size)), signer);
    }

    EvidenceBundle bundle(String patientId, long size) {
        List<EvidenceBundle.Entry> entries = new ArrayList<>();
        for (Stored event : events) {
            if (event.patientId().equals(patientId) && event.leafIndex() < size) {
                entries.add(new EvidenceBundle.Entry(event.leafIndex(), b64(event.leaf()), event.sequenceNumber(),
                        event.type(), b64(event.payload()), b64(event.metadata()), event.recordedAt(),
                        tree.inclusionProof(event.leafIndex(), size).stream().map(LedgerFixture::b64).toList()));
            }
        }
        return new EvidenceBundle(patientId, checkpoint(size), entries);
    }

    ConsistencyProofDocument consistency(long from, long to) {
        return new ConsistencyProofDocument(from, to,
                tree.consistencyProof(from, to).stream().map(LedgerFixture::b64).toList());
    }

    static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
