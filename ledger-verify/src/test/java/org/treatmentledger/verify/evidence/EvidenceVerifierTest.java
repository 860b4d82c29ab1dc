package org.treatmentledger.verify.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.treatmentledger.verify.evidence.EvidenceBundle.Entry;
import org.treatmentledger.verify.evidence.Verdict.Failure;
import org.treatmentledger.verify.note.NoteSigner;

/**
 * A bundle as issued verifies; a bundle edited anywhere does not: every byte of every binary field, every character
 * of every text field, every number, every proof hash, every entry removed, swapped or duplicated.
 */
class EvidenceVerifierTest {

    private static NoteSigner signer;
    private static TrustedKeys keys;
    private static LedgerFixture ledger;
    private static EvidenceBundle bundle;
    private static CheckpointVerifier.VerifiedCheckpoint verifiedCheckpoint;
    private static int mutations;

    @BeforeAll
    static void issue() {
        signer = LedgerFixture.newSigner();
        keys = TrustedKeys.ofRaw(signer.verifierKey().publicKey());
        ledger = LedgerFixture.interleaved(signer, 3);
        bundle = ledger.bundle("patient-A", ledger.size());
        try {
            verifiedCheckpoint = CheckpointVerifier.verifyDocument(bundle.checkpoint(), keys, "The checkpoint");
        } catch (Refused refused) {
            throw new AssertionError(refused.getMessage());
        }
    }

    @Test
    void theIssuedBundleVerifies() {
        Verdict verdict = EvidenceVerifier.verify(bundle, keys);

        assertThat(verdict.verified()).as(verdict.sentence()).isTrue();
        assertThat(verdict.sentence()).isEqualTo("Verified: the bundle's 3 events of patient patient-A (sequences 0"
                + " to 2) match their leaves, follow each other from the stream's start without a gap, and are in the"
                + " checkpoint of ledger.example/treatments at tree size 9, signed by trusted key"
                + " ledger.example/treatments (key ID " + String.format("%08x", signer.keyId()) + ").");
        assertThat(bundle.entries()).extracting(Entry::leafIndex).containsExactly(1L, 4L, 6L);
    }

    @Test
    void aBundleVerifiesThroughItsJson() {
        EvidenceBundle parsed = EvidenceBundle.parse(bundle.toJson());

        assertThat(parsed).isEqualTo(bundle);
        assertThat(EvidenceVerifier.verify(parsed, keys).verified()).isTrue();
        // The same key as a signed-note vkey works too.
        assertThat(EvidenceVerifier.verify(parsed, TrustedKeys.of(signer.verifierKey())).verified()).isTrue();
    }

    @Test
    void anAlteredPayloadIsNamedInOneSentence() {
        Entry second = bundle.entries().get(2);
        byte[] payload = Base64.getDecoder().decode(second.payload());
        payload[3] ^= 1;
        Verdict verdict = EvidenceVerifier.verify(withEntry(2, e -> copy(e, "payload", LedgerFixture.b64(payload))),
                keys);

        assertThat(verdict.verified()).isFalse();
        assertThat(verdict.failure()).isEqualTo(Failure.ENTRY_ALTERED);
        assertThat(verdict.sentence()).isEqualTo(
                "Entry 2 (sequence 2) of patient patient-A was altered: its payload no longer matches leaf 6.");
        assertThat(verdict.entry()).isEqualTo(2);
        assertThat(verdict.leafIndex()).isEqualTo(6L);
        assertThat(verdict.sequenceNumber()).isEqualTo(2L);
    }

    @Test
    void flippingAnyByteOfAnyEntryFieldFails() {
        for (int i = 0; i < bundle.entries().size(); i++) {
            for (String field : List.of("leaf", "payload", "metadata")) {
                byte[] bytes = Base64.getDecoder().decode(field(bundle.entries().get(i), field));
                for (int b = 0; b < bytes.length; b++) {
                    byte[] changed = bytes.clone();
                    changed[b] ^= 0x01;
                    int entry = i;
                    assertEntriesFail(withEntry(i, e -> copy(e, field, LedgerFixture.b64(changed))),
                            "entry %d %s byte %d", entry, field, b);
                }
            }
            for (String field : List.of("type", "recordedAt")) {
                String text = field(bundle.entries().get(i), field);
                for (int c = 0; c < text.length(); c++) {
                    String changed = flipChar(text, c);
                    assertEntriesFail(withEntry(i, e -> copy(e, field, changed)), "entry %d %s char %d", i, field, c);
                }
            }
            for (long delta : new long[] {-1, 1, 1000}) {
                assertEntriesFail(withEntry(i, e -> withNumbers(e, e.leafIndex() + delta, e.sequenceNumber())),
                        "entry %d leafIndex %+d", i, delta);
                assertEntriesFail(withEntry(i, e -> withNumbers(e, e.leafIndex(), e.sequenceNumber() + delta)),
                        "entry %d sequenceNumber %+d", i, delta);
            }
            List<String> proof = bundle.entries().get(i).inclusionProof();
            for (int p = 0; p < proof.size(); p++) {
                byte[] hash = Base64.getDecoder().decode(proof.get(p));
                for (int b = 0; b < hash.length; b++) {
                    byte[] changed = hash.clone();
                    changed[b] ^= (byte) (1 << (b % 8));
                    int at = p;
                    assertEntriesFail(withEntry(i, e -> withProof(e, replace(e.inclusionProof(), at,
                            LedgerFixture.b64(changed)))), "entry %d proof %d byte %d", i, p, b);
                }
                int at = p;
                assertEntriesFail(withEntry(i, e -> withProof(e, remove(e.inclusionProof(), at))),
                        "entry %d proof without hash %d", i, p);
            }
            assertEntriesFail(withEntry(i, e -> withProof(e, append(e.inclusionProof(), proof.get(0)))),
                    "entry %d proof with an extra hash", i);
        }
    }

    @Test
    void editingThePatientOrTheCheckpointFails() {
        for (int c = 0; c < bundle.patientId().length(); c++) {
            assertFails(new EvidenceBundle(flipChar(bundle.patientId(), c), bundle.checkpoint(), bundle.entries()),
                    "patient id char %d", c);
        }
        CheckpointDocument checkpoint = bundle.checkpoint();
        for (String field : List.of("origin", "note", "keyId", "rootHash", "publicKey")) {
            String text = checkpointField(checkpoint, field);
            for (int c = 0; c < text.length(); c++) {
                if (field.equals("note") && text.charAt(c) == '\n' && c == text.length() - 1) {
                    continue; // flipping the final newline is covered below, it yields a control character
                }
                assertFails(withCheckpoint(checkpointWith(checkpoint, field, flipChar(text, c))),
                        "checkpoint %s char %d", field, c);
            }
        }
        for (String field : List.of("rootHash", "publicKey")) {
            byte[] bytes = Base64.getDecoder().decode(checkpointField(checkpoint, field));
            for (int b = 0; b < bytes.length; b++) {
                byte[] changed = bytes.clone();
                changed[b] ^= 0x01;
                assertFails(withCheckpoint(checkpointWith(checkpoint, field, LedgerFixture.b64(changed))),
                        "checkpoint %s byte %d", field, b);
            }
        }
        for (long size : new long[] {checkpoint.treeSize() - 1, checkpoint.treeSize() + 1, 0}) {
            assertFails(withCheckpoint(new CheckpointDocument(checkpoint.origin(), size, checkpoint.rootHash(),
                    checkpoint.note(), checkpoint.keyId(), checkpoint.publicKey())), "treeSize %d", size);
        }
        String note = checkpoint.note();
        assertFails(withCheckpoint(checkpointWith(checkpoint, "note", note.substring(0, note.length() - 1))),
                "note without its final newline");
    }

    @Test
    void removingSwappingOrDuplicatingEntriesFails() {
        List<Entry> entries = bundle.entries();
        // Removing the last entry is the one edit a bundle alone cannot show (docs/INTEGRITY.md, threat model).
        for (int i = 0; i < entries.size() - 1; i++) {
            List<Entry> fewer = new ArrayList<>(entries);
            fewer.remove(i);
            assertFails(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), fewer), "without entry %d", i);
        }
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                List<Entry> swapped = new ArrayList<>(entries);
                Collections.swap(swapped, i, j);
                assertFails(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), swapped), "swap %d %d", i, j);
            }
            List<Entry> doubled = new ArrayList<>(entries);
            doubled.add(i, entries.get(i));
            assertFails(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), doubled), "entry %d twice", i);
        }
        // Another patient's entry (with its valid proof) in the middle of this stream.
        EvidenceBundle other = ledger.bundle("patient-C", ledger.size());
        List<Entry> mixed = new ArrayList<>(entries);
        mixed.add(1, other.entries().get(0));
        assertFails(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), mixed), "foreign entry");
        assertThat(mutations).isGreaterThan(0);
    }

    @Test
    void droppingTheLastEntriesIsNotVisibleInTheBundleAlone() {
        // The known limit (docs/INTEGRITY.md, threat model): a bundle cannot show events it does not contain, so a
        // shortened tail still verifies. The success sentence names the last sequence, for the reviewer to compare.
        List<Entry> entries = bundle.entries();
        Verdict verdict = EvidenceVerifier.verify(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(),
                entries.subList(0, entries.size() - 1)), keys);

        assertThat(verdict.verified()).isTrue();
        assertThat(verdict.sentence()).contains("(sequences 0 to 1)");
    }

    @Test
    void theStreamIsCheckedFromItsStartAndWithoutGaps() {
        List<Entry> entries = bundle.entries();
        Verdict withoutFirst = EvidenceVerifier.verify(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(),
                entries.subList(1, entries.size())), keys);
        assertThat(withoutFirst.failure()).isEqualTo(Failure.SEQUENCE_GAP);
        assertThat(withoutFirst.sentence()).isEqualTo("Entry 0 of patient patient-A has sequence 1 where 0 was"
                + " expected: an event is missing from the bundle, or the entries are out of order.");

        List<Entry> gap = new ArrayList<>(entries);
        gap.remove(1);
        assertThat(EvidenceVerifier.verify(new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), gap), keys)
                .failure()).isEqualTo(Failure.SEQUENCE_GAP);
    }

    @Test
    void anEventReplacedByAnotherWithTheSameSequenceBreaksTheChain() {
        // Both versions of sequence 1 are in the tree; the later event 2 was chained to the first one.
        LedgerFixture log = new LedgerFixture(signer);
        LedgerFixture.Stored first = log.append("patient-A", "PatientRegistered", "{}");
        LedgerFixture.Stored original = log.append("patient-A", "InjectionRecorded", "{\"units\":20}");
        LedgerFixture.Stored replacement = log.append("patient-A", 1, LedgerFixture.leafHash(first),
                "InjectionRecorded", "{\"units\":40}");
        LedgerFixture.Stored third = log.append("patient-A", 2, LedgerFixture.leafHash(original),
                "PhotoRecorded", "{}");

        assertThat(EvidenceVerifier.verify(log.bundleOf("patient-A", List.of(first, original, third)), keys)
                .verified()).isTrue();
        Verdict verdict = EvidenceVerifier.verify(log.bundleOf("patient-A", List.of(first, replacement, third)), keys);
        assertThat(verdict.failure()).isEqualTo(Failure.CHAIN_BROKEN);
        assertThat(verdict.sentence()).isEqualTo("Entry 2 (sequence 2) of patient patient-A does not follow entry 1:"
                + " leaf 3 names another event as its predecessor, so the stream was rewritten.");

        LedgerFixture.Stored orphan = log.append("patient-A", 0, LedgerFixture.leafHash(third), "PatientRegistered",
                "{}");
        assertThat(EvidenceVerifier.verify(log.bundleOf("patient-A", List.of(orphan)), keys).failure())
                .isEqualTo(Failure.CHAIN_BROKEN);
    }

    @Test
    void aCheckpointSignedByAnotherKeyFails() {
        NoteSigner forger = LedgerFixture.newSigner();
        LedgerFixture forged = LedgerFixture.interleaved(forger, 3);
        Verdict verdict = EvidenceVerifier.verify(forged.bundle("patient-A", forged.size()), keys);

        assertThat(verdict.failure()).isEqualTo(Failure.CHECKPOINT_NOT_TRUSTED);
        assertThat(verdict.sentence()).startsWith("The bundle's checkpoint of ledger.example/treatments (tree size"
                + " 9) is not trusted: the note is not signed by any trusted key");
    }

    @Test
    void aPatientWithoutEventsVerifiesOnlyTheCheckpoint() {
        Verdict verdict = EvidenceVerifier.verify(ledger.bundle("patient-Z", ledger.size()), keys);

        assertThat(verdict.verified()).isTrue();
        assertThat(verdict.sentence()).contains("the bundle holds no events of patient patient-Z");
    }

    @Test
    void anOlderCheckpointProvesTheEntriesItCovers() {
        // A bundle issued at tree size 5 holds the patient's events up to then, proven against that checkpoint.
        EvidenceBundle older = ledger.bundle("patient-A", 5);

        assertThat(older.entries()).hasSize(2);
        assertThat(EvidenceVerifier.verify(older, keys).verified()).isTrue();
        // Proofs from the size-9 tree do not prove anything against the size-5 root.
        List<Entry> newerProofs = bundle.entries().subList(0, 2);
        assertFails(new EvidenceBundle("patient-A", older.checkpoint(), newerProofs), "size-9 proofs at size 5");
    }

    /** For edits of entries: the entries are checked against the issued, already verified checkpoint. */
    private static void assertEntriesFail(EvidenceBundle edited, String what, Object... args) {
        Verdict verdict = EvidenceVerifier.verifyEntries(edited, verifiedCheckpoint);
        assertThat(verdict.verified()).as(what + " was accepted: " + verdict.sentence(), args).isFalse();
        assertThat(verdict.sentence()).as(what, args).isNotBlank().endsWith(".");
        // Every fifth one also goes the whole way, signature check and JSON round trip included, as the jar does
        // (each signature check costs an Ed25519 verification of about a millisecond, so not every one).
        if (++mutations % 5 == 0) {
            assertThat(EvidenceVerifier.verify(EvidenceBundle.parse(edited.toJson()), keys).verified()).isFalse();
        }
    }

    private static void assertFails(EvidenceBundle edited, String what, Object... args) {
        mutations++;
        Verdict verdict = EvidenceVerifier.verify(edited, keys);
        assertThat(verdict.verified()).as(what + " was accepted: " + verdict.sentence(), args).isFalse();
        assertThat(verdict.sentence()).as(what, args).isNotBlank().endsWith(".");
        // Every fifth edit is also checked after a round trip through JSON, as the jar reads it (each check costs an
        // Ed25519 verification of about a millisecond, so not every one).
        if (mutations % 5 == 0) {
            assertThat(EvidenceVerifier.verify(EvidenceBundle.parse(edited.toJson()), keys).verified()).isFalse();
        }
    }

    private static EvidenceBundle withEntry(int i, UnaryOperator<Entry> change) {
        List<Entry> entries = new ArrayList<>(bundle.entries());
        entries.set(i, change.apply(entries.get(i)));
        return new EvidenceBundle(bundle.patientId(), bundle.checkpoint(), entries);
    }

    private static EvidenceBundle withCheckpoint(CheckpointDocument checkpoint) {
        return new EvidenceBundle(bundle.patientId(), checkpoint, bundle.entries());
    }

    private static String field(Entry e, String field) {
        Function<Entry, String> getter = switch (field) {
            case "leaf" -> Entry::leaf;
            case "payload" -> Entry::payload;
            case "metadata" -> Entry::metadata;
            case "type" -> Entry::type;
            case "recordedAt" -> Entry::recordedAt;
            default -> throw new IllegalArgumentException(field);
        };
        return getter.apply(e);
    }

    private static Entry copy(Entry e, String field, String value) {
        return new Entry(e.leafIndex(),
                field.equals("leaf") ? value : e.leaf(),
                e.sequenceNumber(),
                field.equals("type") ? value : e.type(),
                field.equals("payload") ? value : e.payload(),
                field.equals("metadata") ? value : e.metadata(),
                field.equals("recordedAt") ? value : e.recordedAt(),
                e.inclusionProof());
    }

    private static Entry withNumbers(Entry e, long leafIndex, long sequenceNumber) {
        return new Entry(leafIndex, e.leaf(), sequenceNumber, e.type(), e.payload(), e.metadata(), e.recordedAt(),
                e.inclusionProof());
    }

    private static Entry withProof(Entry e, List<String> proof) {
        return new Entry(e.leafIndex(), e.leaf(), e.sequenceNumber(), e.type(), e.payload(), e.metadata(),
                e.recordedAt(), proof);
    }

    private static String checkpointField(CheckpointDocument c, String field) {
        return switch (field) {
            case "origin" -> c.origin();
            case "note" -> c.note();
            case "keyId" -> c.keyId();
            case "rootHash" -> c.rootHash();
            case "publicKey" -> c.publicKey();
            default -> throw new IllegalArgumentException(field);
        };
    }

    private static CheckpointDocument checkpointWith(CheckpointDocument c, String field, String value) {
        return new CheckpointDocument(
                field.equals("origin") ? value : c.origin(),
                c.treeSize(),
                field.equals("rootHash") ? value : c.rootHash(),
                field.equals("note") ? value : c.note(),
                field.equals("keyId") ? value : c.keyId(),
                field.equals("publicKey") ? value : c.publicKey());
    }

    private static String flipChar(String text, int at) {
        return text.substring(0, at) + (char) (text.charAt(at) ^ 1) + text.substring(at + 1);
    }

    private static List<String> replace(List<String> list, int at, String value) {
        List<String> out = new ArrayList<>(list);
        out.set(at, value);
        return out;
    }

    private static List<String> remove(List<String> list, int at) {
        List<String> out = new ArrayList<>(list);
        out.remove(at);
        return out;
    }

    private static List<String> append(List<String> list, String value) {
        List<String> out = new ArrayList<>(list);
        out.add(value);
        return out;
    }
}
