package org.treatmentledger.core.serialization;

import java.util.Arrays;
import java.util.Base64;

/**
 * Reads single values out of standard base64 text (with padding, as {@link Base64#getEncoder()} writes it)
 * without decoding the rest: a snapshot's packed columns stay text until a command asks for one position.
 * Values are big-endian.
 */
public final class Base64Bytes {

    private Base64Bytes() { }

    private static final int[] VALUE = new int[128];

    static {
        Arrays.fill(VALUE, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) VALUE[alphabet.charAt(i)] = i;
        VALUE['='] = 0;
    }

    public static int encodedLength(int bytes) { return (bytes + 2) / 3 * 4; }

    /** The byte at {@code offset} of the data {@code text} encodes. */
    public static int readByte(char[] text, int offset) {
        int group = offset / 3 * 4;
        int value = VALUE[text[group]] << 18 | VALUE[text[group + 1]] << 12 | VALUE[text[group + 2]] << 6 | VALUE[text[group + 3]];
        return value >>> (16 - 8 * (offset % 3)) & 0xFF;
    }

    public static long readLong(char[] text, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | readByte(text, offset + i);
        return v;
    }

    public static int readInt(char[] text, int offset) {
        int v = 0;
        for (int i = 0; i < 4; i++) v = v << 8 | readByte(text, offset + i);
        return v;
    }

    public static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    public static void putInt(byte[] bytes, int offset, int value) {
        for (int i = 3; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    public static String encode(byte[] bytes) { return Base64.getEncoder().encodeToString(bytes); }

    /** Decodes all of it (for small columns that are read in full anyway). */
    public static byte[] decode(char[] text) {
        return Base64.getDecoder().decode(new String(text).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The parser on a string value: the bytes its base64 text encodes (refused if it is not base64). */
    public static byte[] readBinary(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
            throws java.io.IOException {
        if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
        }
        try {
            return p.getBinaryValue(com.fasterxml.jackson.core.Base64Variants.MIME_NO_LINEFEEDS);
        } catch (com.fasterxml.jackson.core.JsonParseException | IllegalArgumentException e) {
            return (byte[]) ctxt.reportInputMismatch(byte[].class, "not base64: %s", e.getMessage());
        }
    }

    /**
     * The parser on a string value: its characters, copied. Not {@code getText()}: for a string of hundreds of
     * thousands of characters Jackson builds the String through a StringBuilder, which was a third of a long
     * patient's snapshot read.
     */
    public static char[] readText(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext ctxt)
            throws java.io.IOException {
        if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
            return (char[]) ctxt.handleUnexpectedToken(char[].class, p);
        }
        int offset = p.getTextOffset();
        char[] text = Arrays.copyOfRange(p.getTextCharacters(), offset, offset + p.getTextLength());
        // Values are read out of the text position by position, so a character outside the alphabet would give
        // a wrong value, never an error: refuse the snapshot instead (Axon then reports it; nothing decides on it).
        int padding = text.length > 0 && text[text.length - 1] == '=' ? (text.length > 1 && text[text.length - 2] == '=' ? 2 : 1) : 0;
        if (text.length % 4 != 0) return (char[]) ctxt.reportInputMismatch(char[].class, "base64 text of %d characters", text.length);
        for (int i = 0; i < text.length - padding; i++) {
            char c = text[i];
            if (c >= 128 || c == '=' || VALUE[c] < 0) {
                return (char[]) ctxt.reportInputMismatch(char[].class, "not base64 at character %d", i);
            }
        }
        return text;
    }
}
