package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * A snapshot's packed columns: plain bytes, read in place (values big-endian). In a binary snapshot (Smile, see
 * {@link SnapshotSerializer}) they are stored as they are; in a JSON one (older snapshots, and with Axon Server,
 * which stores snapshots with the service's JSON serializer) as standard base64 text with padding. Either way
 * they are decoded once, when the snapshot is read.
 */
public final class PackedBytes {

    private PackedBytes() { }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    public static int readByte(byte[] bytes, int offset) { return bytes[offset] & 0xFF; }

    public static long readLong(byte[] bytes, int offset) { return (long) LONGS.get(bytes, offset); }

    public static int readInt(byte[] bytes, int offset) { return (int) INTS.get(bytes, offset); }

    public static void putLong(byte[] bytes, int offset, long value) { LONGS.set(bytes, offset, value); }

    public static void putInt(byte[] bytes, int offset, int value) { INTS.set(bytes, offset, value); }

    /** Writes a packed column: raw bytes in a binary format, base64 text (standard, padded) in JSON. */
    public static void writeField(JsonGenerator gen, String name, byte[] bytes) throws IOException {
        gen.writeFieldName(name);
        gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
    }

    /**
     * The parser on a packed column: its bytes as a binary format stores them, or the bytes its base64 text
     * encodes (refused if it is not base64). For the text, not Jackson's {@code getBinaryValue}: it decodes character by character into a growing chunk list, which was
     * half of a 10,000-entry patient's snapshot read. The JDK's decoder on the parser's own characters is several
     * times faster, and it refuses any character outside the alphabet.
     */
    public static byte[] readBinary(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_EMBEDDED_OBJECT && p.getEmbeddedObject() instanceof byte[] bytes) {
            return bytes;
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (byte[]) ctxt.handleUnexpectedToken(byte[].class, p);
        }
        char[] text = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        byte[] ascii = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = text[offset + i];
            // Anything past 0x7F would be truncated into another byte below: refuse it here.
            if (c > 0x7F) return (byte[]) ctxt.reportInputMismatch(byte[].class, "not base64 at character %d", i);
            ascii[i] = (byte) c;
        }
        try {
            return Base64.getDecoder().decode(ascii);
        } catch (IllegalArgumentException e) {
            return (byte[]) ctxt.reportInputMismatch(byte[].class, "not base64: %s", e.getMessage());
        }
    }
}
