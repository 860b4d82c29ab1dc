package org.treatmentledger.verify.note;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A c2sp.org/signed-note: a text ending in a newline, a blank line, then one or more signature lines. This is the
 * note's syntax only; {@link NoteVerifier} decides which signatures count.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

    /** Verifiers must accept at least 16 signatures; more than this many is treated as malformed. */
    public static final int MAX_SIGNATURES = 100;

    public SignedNote {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || !text.endsWith("\n") || !NoteText.isWellFormed(text)) {
            throw new NoteFormatException("a note text ends in a newline and has no other control characters");
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw new NoteFormatException("a signed note has 1 to " + MAX_SIGNATURES + " signatures");
        }
    }

    public static SignedNote sign(String text, NoteSigner... signers) {
        List<NoteSignature> signatures = new ArrayList<>();
        for (NoteSigner signer : signers) {
            signatures.add(signer.sign(text));
        }
        return new SignedNote(text, signatures);
    }

    /** Parses a note; the text is everything up to the last blank line, the signatures everything after. */
    public static SignedNote parse(String message) {
        Objects.requireNonNull(message, "message");
        if (!NoteText.isWellFormed(message)) {
            throw new NoteFormatException("the note is not valid UTF-8 or has control characters other than newline");
        }
        int split = message.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteFormatException("the note has no blank line before its signatures");
        }
        String text = message.substring(0, split + 1);
        String block = message.substring(split + 2);
        if (block.isEmpty() || !block.endsWith("\n")) {
            throw new NoteFormatException("the note's signature lines must each end in a newline");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (String line : block.substring(0, block.length() - 1).split("\n", -1)) {
            NoteSignature signature = NoteSignature.parseLine(line);
            if (signature == null) {
                throw new NoteFormatException("not a signature line: " + line);
            }
            if (signatures.size() == MAX_SIGNATURES) {
                throw new NoteFormatException("the note has more than " + MAX_SIGNATURES + " signatures");
            }
            signatures.add(signature);
        }
        return new SignedNote(text, signatures);
    }

    public static SignedNote parse(byte[] message) {
        return parse(NoteText.decodeUtf8(message));
    }

    public String format() {
        StringBuilder out = new StringBuilder(text).append('\n');
        for (NoteSignature signature : signatures) {
            out.append(signature.line()).append('\n');
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
