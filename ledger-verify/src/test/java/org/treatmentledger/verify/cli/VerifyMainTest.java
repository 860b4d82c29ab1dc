package org.treatmentledger.verify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.treatmentledger.verify.evidence.CheckpointDocument;
import org.treatmentledger.verify.evidence.ConsistencyProofDocument;
import org.treatmentledger.verify.evidence.EvidenceBundle;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.InMemoryTree;
import org.treatmentledger.verify.note.Checkpoint;
import org.treatmentledger.verify.note.NoteSigner;
import java.security.SecureRandom;

/** The jar's command line, run in-process on files as a reviewer would have them. */
class VerifyMainTest {

    private static final String ORIGIN = "ledger.example/treatments";

    @TempDir
    Path dir;

    private NoteSigner signer;
    private InMemoryTree tree;
    private final List<PatientEventLeaf> leaves = new ArrayList<>();
    private final List<byte[]> payloads = new ArrayList<>();
    private Path key;

    @BeforeEach
    void ledger() throws IOException {
        signer = NoteSigner.generate(ORIGIN, new SecureRandom());
        tree = new InMemoryTree();
        byte[] previous = PatientEventLeaf.noPreviousLeaf();
        for (int i = 0; i < 10; i++) {
            byte[] payload = ("{\"units\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            PatientEventLeaf leaf = PatientEventLeaf.of("patient-X", i, "InjectionRecorded", payload, new byte[0],
                    "2026-03-02T09:30:0" + i + ".000Z", previous);
            previous = leaf.leafHash();
            leaves.add(leaf);
            payloads.add(payload);
            tree.append(leaf.leafHash());
        }
        key = write("pub.txt", Base64.getEncoder().encodeToString(signer.verifierKey().publicKey()) + "\n");
    }

    @Test
    void aGoodBundleVerifiesWithExitZeroAndOneSentence() throws IOException {
        Path bundle = write("bundle.json", bundle(10, -1));

        Run run = run("bundle", "--key", key.toString(), bundle.toString());

        assertThat(run.status).isEqualTo(0);
        assertThat(run.out).startsWith("Verified: the bundle's 10 events of patient patient-X (sequences 0 to 9)")
                .endsWith(".\n").hasLineCount(1);
        assertThat(run.err).isEmpty();
    }

    @Test
    void anAlteredBundleFailsWithExitOneAndSaysWhat() throws IOException {
        Path bundle = write("bundle.json", bundle(10, 3));

        Run run = run("bundle", "--key", key.toString(), bundle.toString());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.out).isEqualTo(
                "Entry 3 (sequence 3) of patient patient-X was altered: its payload no longer matches leaf 3.\n");
    }

    @Test
    void aBundleThatIsNotJsonFailsWithExitOne() throws IOException {
        Path bundle = write("bundle.json", "{\"patientId\": \"patient-X\", \"entries\": [}");

        Run run = run("bundle", "--key", key.toString(), bundle.toString());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.out).startsWith("The evidence bundle is malformed: the evidence bundle is not valid JSON");
    }

    @Test
    void aKeyFileWithAVkeyAndCommentsWorks() throws IOException {
        Path vkey = write("keys.txt", "# the ledger's keys\n\n" + signer.verifierKey().format() + "\n");
        Path bundle = write("bundle.json", bundle(10, -1));

        assertThat(run("bundle", "--key=" + vkey, bundle.toString()).status).isEqualTo(0);
    }

    @Test
    void theWrongKeyFailsWithExitOne() throws IOException {
        Path other = write("other.txt", Base64.getEncoder().encodeToString(
                NoteSigner.generate(ORIGIN, new SecureRandom()).verifierKey().publicKey()));
        Path bundle = write("bundle.json", bundle(10, -1));

        Run run = run("bundle", "--key", other.toString(), bundle.toString());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.out).contains("is not trusted: the note is not signed by any trusted key");
    }

    @Test
    void consistencyOfSavedAndNewerCheckpoints() throws IOException {
        // The saved one as jq -r '.note' writes it (one newline too many), the newer one as the API's JSON.
        Path saved = write("saved.txt", checkpoint(4).note() + "\n");
        Path newer = write("newer.json", new String(checkpoint(10).toJson(), StandardCharsets.UTF_8));
        Path proof = write("proof.json", new String(new ConsistencyProofDocument(4, 10,
                tree.consistencyProof(4, 10).stream().map(h -> Base64.getEncoder().encodeToString(h)).toList())
                .toJson(), StandardCharsets.UTF_8));

        Run run = run("consistency", "--key", key.toString(), saved.toString(), newer.toString(), proof.toString());
        assertThat(run.status).as(run.out + run.err).isEqualTo(0);
        assertThat(run.out).startsWith("Consistent: ").hasLineCount(1);

        Path wrongProof = write("wrong.json", "{\"from\": 4, \"to\": 10, \"hashes\": [\""
                + Base64.getEncoder().encodeToString(new byte[32]) + "\"]}");
        Run failing = run("consistency", "--key", key.toString(), saved.toString(), newer.toString(),
                wrongProof.toString());
        assertThat(failing.status).isEqualTo(1);
        assertThat(failing.out).startsWith("The newer checkpoint (tree size 10) is not proven to extend the saved one");
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path bundle = write("bundle.json", bundle(10, -1));
        Path garbage = write("garbage.txt", "this is not a key\n");

        assertThat(run().status).isEqualTo(2);
        assertThat(run("frobnicate", "--key", key.toString(), bundle.toString()).status).isEqualTo(2);
        assertThat(run("bundle", bundle.toString()).status).isEqualTo(2);
        assertThat(run("bundle", "--key").status).isEqualTo(2);
        assertThat(run("bundle", "--key", dir.resolve("missing.txt").toString(), bundle.toString()).status)
                .isEqualTo(2);
        assertThat(run("bundle", "--key", garbage.toString(), bundle.toString()).err)
                .startsWith("ledger-verify: the key file " + garbage + " holds no usable key");
        assertThat(run("bundle", "--key", key.toString(), dir.resolve("missing.json").toString()).status)
                .isEqualTo(2);
        assertThat(run("bundle", "--key", key.toString(), bundle.toString(), bundle.toString()).status).isEqualTo(2);
        assertThat(run("consistency", "--key", key.toString(), bundle.toString()).status).isEqualTo(2);
        assertThat(run("bundle", "--verbose", "--key", key.toString(), bundle.toString()).status).isEqualTo(2);
        Run help = run("--help");
        assertThat(help.status).isEqualTo(0);
        assertThat(help.out).contains("exit status: 0 verified, 1 not verified, 2 usage error");
    }

    private CheckpointDocument checkpoint(long size) {
        return CheckpointDocument.of(new Checkpoint(ORIGIN, size, tree.rootHash(size)), signer);
    }

    /** The bundle JSON at tree size {@code size}; the payload of entry {@code altered} is changed (-1: none). */
    private String bundle(long size, int altered) {
        List<EvidenceBundle.Entry> entries = new ArrayList<>();
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < size; i++) {
            PatientEventLeaf leaf = leaves.get(i);
            byte[] payload = payloads.get(i).clone();
            if (i == altered) {
                payload[payload.length - 2] ^= 1;
            }
            entries.add(new EvidenceBundle.Entry(i, b64.encodeToString(leaf.encode()), i, leaf.eventType(),
                    b64.encodeToString(payload), "", leaf.recordedAt(),
                    tree.inclusionProof(i, size).stream().map(b64::encodeToString).toList()));
        }
        return new String(new EvidenceBundle("patient-X", checkpoint(size), entries).toJson(), StandardCharsets.UTF_8);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VerifyMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
