package org.treatmentledger.verify.cli;

import org.treatmentledger.verify.Encodings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.treatmentledger.verify.evidence.AccessLogBundle;
import org.treatmentledger.verify.evidence.AccessLogVerifier;
import org.treatmentledger.verify.evidence.BundleFormatException;
import org.treatmentledger.verify.evidence.CheckpointDocument;
import org.treatmentledger.verify.evidence.CheckpointVerifier;
import org.treatmentledger.verify.evidence.ConsistencyProofDocument;
import org.treatmentledger.verify.evidence.ConsistencyVerifier;
import org.treatmentledger.verify.evidence.EvidenceBundle;
import org.treatmentledger.verify.evidence.EvidenceVerifier;
import org.treatmentledger.verify.evidence.Refused;
import org.treatmentledger.verify.evidence.TrustedKeys;
import org.treatmentledger.verify.evidence.Verdict;
import org.treatmentledger.verify.note.NoteFormatException;
import java.util.Locale;

/**
 * The reviewer's offline verifier (docs/INTEGRITY.md, "Verifying offline"). Prints one sentence; exits 0 when the
 * evidence verifies, 1 when it does not, 2 when the command line or a key file is wrong.
 */
public final class VerifyMain {

    static final int VERIFIED = 0;
    static final int NOT_VERIFIED = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar ledger-verify.jar bundle --key KEYFILE [--key KEYFILE ...] BUNDLE.json",
            "       java -jar ledger-verify.jar consistency --key KEYFILE [--key KEYFILE ...] SAVED NEWER PROOF.json",
            "       java -jar ledger-verify.jar access --key KEYFILE [--key KEYFILE ...] ACCESS.json",
            "",
            "  bundle       verifies a patient's evidence bundle (GET /api/patients/{id}/evidence)",
            "  access       verifies exported access records: a patient's access log",
            "               (GET /api/patients/{id}/access-log/evidence) or one record's proof",
            "               (GET /api/audit/access/proofs/inclusion?id=N)",
            "  consistency  verifies that the NEWER checkpoint extends the SAVED one with a consistency proof",
            "               (GET /api/ledger/proofs/consistency?from=M&to=N); SAVED and NEWER are each a checkpoint",
            "               note or the JSON of GET /api/ledger/checkpoint (or of the access log's",
            "               GET /api/audit/access/checkpoint, with GET /api/audit/access/proofs/consistency)",
            "  KEYFILE      trusted public keys, one a line: the base64 of the 32-byte Ed25519 key (the checkpoint's",
            "               \"publicKey\"), or a signed-note verifier key name+keyid+key; give --key again for more",
            "",
            "exit status: 0 verified, 1 not verified, 2 usage error");

    private VerifyMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : VERIFIED;
        }
        List<String> keyFiles = new ArrayList<>();
        List<String> operands = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--key")) {
                if (i + 1 == args.length) {
                    return usage(err, "--key needs a file");
                }
                keyFiles.add(args[++i]);
            } else if (args[i].startsWith("--key=")) {
                keyFiles.add(args[i].substring("--key=".length()));
            } else if (args[i].startsWith("-")) {
                return usage(err, "unknown option " + args[i]);
            } else {
                operands.add(args[i]);
            }
        }
        if (keyFiles.isEmpty()) {
            return usage(err, "at least one --key is needed: the verifier checks signatures only against keys you trust");
        }
        try {
            TrustedKeys keys = null;
            for (String file : keyFiles) {
                TrustedKeys read;
                try {
                    read = TrustedKeys.parse(readText(file));
                } catch (NoteFormatException e) {
                    return usage(err, "the key file " + file + " holds no usable key: " + e.getMessage());
                }
                keys = keys == null ? read : keys.and(read);
            }
            switch (args[0]) {
                case "bundle":
                    if (operands.size() != 1) {
                        return usage(err, "bundle takes one file, the evidence bundle");
                    }
                    return report(out, verifyBundle(read(operands.get(0)), keys));
                case "access":
                    if (operands.size() != 1) {
                        return usage(err, "access takes one file, the exported access records");
                    }
                    return report(out, verifyAccessLog(read(operands.get(0)), keys));
                case "consistency":
                    if (operands.size() != 3) {
                        return usage(err, "consistency takes three files: SAVED NEWER PROOF.json");
                    }
                    return report(out, verifyConsistency(read(operands.get(0)), read(operands.get(1)),
                            read(operands.get(2)), keys));
                default:
                    return usage(err, "unknown command " + args[0]);
            }
        } catch (UnreadableFile e) {
            return usage(err, e.getMessage());
        }
    }

    static Verdict verifyBundle(byte[] json, TrustedKeys keys) {
        EvidenceBundle bundle;
        try {
            bundle = EvidenceBundle.parse(json);
        } catch (BundleFormatException e) {
            return malformed("The evidence bundle is malformed: " + e.getMessage() + ".");
        }
        return EvidenceVerifier.verify(bundle, keys);
    }

    static Verdict verifyAccessLog(byte[] json, TrustedKeys keys) {
        AccessLogBundle bundle;
        try {
            bundle = AccessLogBundle.parse(json);
        } catch (BundleFormatException e) {
            return malformed("The access log is malformed: " + e.getMessage() + ".");
        }
        return AccessLogVerifier.verify(bundle, keys);
    }

    static Verdict verifyConsistency(byte[] saved, byte[] newer, byte[] proofJson, TrustedKeys keys) {
        String savedNote;
        String newerNote;
        ConsistencyProofDocument proof;
        try {
            savedNote = note(utf8(saved, "The saved checkpoint"), keys, "The saved checkpoint");
            newerNote = note(utf8(newer, "The newer checkpoint"), keys, "The newer checkpoint");
            proof = ConsistencyProofDocument.parse(proofJson);
        } catch (BundleFormatException e) {
            return malformed("A file is malformed: " + e.getMessage() + ".");
        } catch (Refused refused) {
            return refused.verdict();
        }
        return ConsistencyVerifier.verify(savedNote, newerNote, proof, keys);
    }

    /** The note of a checkpoint file: the file itself, or the "note" of a checkpoint JSON whose fields are checked. */
    private static String note(String file, TrustedKeys keys, String what) throws Refused {
        if (file.stripLeading().startsWith("{")) {
            CheckpointDocument document = CheckpointDocument.parse(file.getBytes(StandardCharsets.UTF_8));
            CheckpointVerifier.verifyDocument(document, keys, what);
            return document.note();
        }
        // A note ends in exactly one newline; tools that save text (echo, jq -r) often add another.
        String note = file;
        while (note.endsWith("\n\n")) {
            note = note.substring(0, note.length() - 1);
        }
        return note;
    }

    private static String utf8(byte[] bytes, String what) {
        String text = Encodings.strictUtf8(bytes);
        if (text == null) throw new BundleFormatException(what.toLowerCase(Locale.ROOT) + " is not UTF-8 text");
        return text;
    }

    private static Verdict malformed(String sentence) {
        return new Verdict(false, sentence, Verdict.Failure.MALFORMED, null, null, null);
    }

    private static int report(PrintStream out, Verdict verdict) {
        out.println(verdict.sentence());
        return verdict.verified() ? VERIFIED : NOT_VERIFIED;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("ledger-verify: " + problem + ".");
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static byte[] read(String file) throws UnreadableFile {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableFile("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String readText(String file) throws UnreadableFile {
        String text = Encodings.strictUtf8(read(file));
        if (text == null) throw new UnreadableFile(file + " is not UTF-8 text");
        return text;
    }

    private static final class UnreadableFile extends Exception {
        UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }
}
