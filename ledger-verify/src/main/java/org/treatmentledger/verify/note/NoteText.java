package org.treatmentledger.verify.note;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        try {
            StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static String decodeUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new NoteFormatException("not valid UTF-8");
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Standard base64 (RFC 4648 section 4) in its one canonical spelling: padded, and re-encoding gives the same text.
     * The JDK's decoder also accepts missing padding and ignores stray low bits of the last character, so two
     * spellings could otherwise stand for the same bytes.
     */
    static byte[] strictBase64(String text) {
        if (text == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
