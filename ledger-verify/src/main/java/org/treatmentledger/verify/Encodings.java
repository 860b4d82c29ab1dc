package org.treatmentledger.verify;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The strict text encodings every part of the verifier reads and writes: one spelling per value, so that two texts
 * never stand for the same bytes and nothing malformed is silently repaired.
 */
public final class Encodings {

    private Encodings() { }

    /**
     * Standard base64 (RFC 4648 section 4) in its one canonical spelling: padded, and re-encoding gives the same
     * text; null otherwise. The JDK's decoder also accepts missing padding and ignores stray low bits of the last
     * character.
     */
    public static byte[] strictBase64(String text) {
        if (text == null) return null;
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The text of valid UTF-8 bytes; null for malformed ones (the JDK's plain decoding would replace them). */
    public static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The UTF-8 bytes of a text; null when it holds an unpaired surrogate (which plain encoding turns into '?'). */
    public static byte[] strictUtf8(String text) {
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
