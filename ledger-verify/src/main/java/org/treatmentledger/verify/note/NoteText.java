package org.treatmentledger.verify.note;

import org.treatmentledger.verify.Encodings;
import java.nio.charset.StandardCharsets;

/** Text rules shared by notes, checkpoints and keys (c2sp.org/signed-note, "Format"). */
final class NoteText {

    private NoteText() {
    }

    /** Key names are non-empty and contain no Unicode space and no plus sign. */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || !isWellFormed(name)) {
            return false;
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (c == '+' || c < 0x20 || c == 0x85 || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** No ASCII control character other than newline, and no unpaired surrogate (so it is valid UTF-8). */
    static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                return false;
            }
        }
        return Encodings.strictUtf8(text) != null;
    }

    static String decodeUtf8(byte[] bytes) {
        String text = Encodings.strictUtf8(bytes);
        if (text == null) throw new NoteFormatException("not valid UTF-8");
        return text;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] strictBase64(String text) {
        return Encodings.strictBase64(text);
    }
}
