package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;

/**
 * A column of ids in a snapshot, packed: each id that is a canonical UUID (lowercase, 36 characters) as its
 * 16 bytes, all of them in one packed column ({@link PackedBytes}); the others (and nulls) listed by position. Kept as those bytes in
 * memory and formatted one id at a time when a command needs it: building thousands of id strings and hashing them was
 * most of a long patient's cold load. A sorted column of UUIDs is searched by {@link #indexOf}.
 * <pre>
 * {"n": size, "b": 16 bytes per position, "x": [position, "id or null", ...]}
 * </pre>
 */
public final class PackedIds {

    private static final PackedIds EMPTY = new PackedIds(0, new byte[0], Map.of());

    private final int size;
    private final byte[] packed;
    private final Map<Integer, String> others;

    private PackedIds(int size, byte[] packed, Map<Integer, String> others) {
        this.size = size;
        this.packed = packed;
        this.others = others;
    }

    public static PackedIds empty() { return EMPTY; }

    public int size() { return size; }

    /** Whether position {@code i} holds a UUID (and so has {@link #hi}/{@link #lo}). */
    public boolean isUuidAt(int i) { return others.isEmpty() || !others.containsKey(i); }

    /** Positions that hold no UUID, with their id (or null). */
    public Map<Integer, String> others() { return others; }

    public String get(int i) {
        if (!isUuidAt(i)) return others.get(i);
        return format(hi(i), lo(i));
    }

    public long hi(int i) { return PackedBytes.readLong(packed, i * 16); }

    public long lo(int i) { return PackedBytes.readLong(packed, i * 16 + 8); }

    /** In a column of UUIDs sorted by {@link #compare}: the position of the UUID, or -1. */
    public int indexOf(long hi, long lo) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(hi(mid), lo(mid), hi, lo);
            if (c < 0) low = mid + 1;
            else if (c > 0) high = mid - 1;
            else return mid;
        }
        return -1;
    }

    // ---------------------------------------------------------------- UUID text

    /** A canonical UUID: 36 characters, dashes at 8, 13, 18 and 23, lowercase hex digits elsewhere (so it round-trips exactly). */
    public static boolean isUuid(String s) { return parse(s, null); }

    /** The first 8 bytes of a canonical UUID ({@link #isUuid}). */
    public static long hi(String uuid) { return hex(uuid, 0, 8) << 32 | hex(uuid, 9, 13) << 16 | hex(uuid, 14, 18); }

    /** The last 8 bytes of a canonical UUID ({@link #isUuid}). */
    public static long lo(String uuid) { return hex(uuid, 19, 23) << 48 | hex(uuid, 24, 36); }

    /**
     * In one pass: whether {@code s} is a canonical UUID and, if so and {@code out} is not null, its first and
     * last 8 bytes into {@code out[0]} and {@code out[1]} (snapshots check and pack thousands of ids).
     */
    public static boolean parse(String s, long[] out) {
        if (s == null || s.length() != 36) return false;
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return false;
                continue;
            }
            int v = c < 128 ? HEX[c] : -1;
            if (v < 0) return false;
            if (i < 18) hi = hi << 4 | v; else lo = lo << 4 | v;
        }
        if (out != null) {
            out[0] = hi;
            out[1] = lo;
        }
        return true;
    }

    private static final byte[] HEX = new byte[128];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) HEX['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) HEX['a' + i] = (byte) (10 + i);
    }

    private static long hex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) v = v << 4 | HEX[s.charAt(i)];
        return v;
    }

    /** Unsigned order of the 16 bytes, which is the order of the canonical text. */
    public static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    public static String format(long hi, long lo) {
        byte[] b = new byte[36];
        digits(b, 0, hi >>> 32, 8);
        b[8] = '-';
        digits(b, 9, hi >>> 16, 4);
        b[13] = '-';
        digits(b, 14, hi, 4);
        b[18] = '-';
        digits(b, 19, lo >>> 48, 4);
        b[23] = '-';
        digits(b, 24, lo, 12);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] b, int at, long v, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            b[i] = DIGITS[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    // ---------------------------------------------------------------- JSON

    /** Writes {@code ids} (any strings, nulls allowed) as a packed column. */
    public static void write(JsonGenerator gen, List<String> ids) throws IOException {
        int n = ids.size();
        byte[] bytes = new byte[n * 16];
        gen.writeStartObject();
        gen.writeNumberField("n", n);
        gen.writeFieldName("x");
        gen.writeStartArray();
        long[] uuid = new long[2];
        for (int i = 0; i < n; i++) {
            String id = ids.get(i);
            if (parse(id, uuid)) {
                PackedBytes.putLong(bytes, i * 16, uuid[0]);
                PackedBytes.putLong(bytes, i * 16 + 8, uuid[1]);
            } else {
                gen.writeNumber(i);
                gen.writeString(id);
            }
        }
        gen.writeEndArray();
        PackedBytes.writeField(gen, "b", bytes);
        gen.writeEndObject();
    }

    /** Writes {@code n} UUIDs already packed (16 bytes each) as a column without other ids. */
    public static void writeUuids(JsonGenerator gen, byte[] bytes, int n) throws IOException {
        gen.writeStartObject();
        gen.writeNumberField("n", n);
        gen.writeArrayFieldStart("x");
        gen.writeEndArray();
        PackedBytes.writeField(gen, "b", bytes);
        gen.writeEndObject();
    }

    /** The parser on the column's START_OBJECT; ends on its END_OBJECT. */
    public static PackedIds read(JsonParser p, DeserializationContext ctxt) throws IOException {
        expect(p, ctxt, JsonToken.START_OBJECT);
        int n = 0;
        byte[] packed = new byte[0];
        Map<Integer, String> others = Map.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "n" -> n = p.getIntValue();
                // Decoded once here: 16 bytes per id in memory, read directly by every search.
                case "b" -> packed = PackedBytes.readBinary(p, ctxt);
                case "x" -> {
                    expect(p, ctxt, JsonToken.START_ARRAY);
                    Map<Integer, String> x = new HashMap<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int position = p.getIntValue();
                        p.nextToken();
                        x.put(position, readString(p, ctxt));
                    }
                    others = x;
                }
                default -> p.skipChildren();
            }
        }
        if (packed.length != n * 16) {
            return (PackedIds) ctxt.reportInputMismatch(PackedIds.class, "packed ids: %d bytes for %d ids", packed.length, n);
        }
        for (Integer position : others.keySet()) {
            if (position < 0 || position >= n) {
                return (PackedIds) ctxt.reportInputMismatch(PackedIds.class, "packed ids: position %d of %d", position, n);
            }
        }
        return new PackedIds(n, packed, others);
    }

    /**
     * Whether the UUIDs are in strictly ascending {@link #compare} order, as {@link #indexOf} needs: a column out
     * of order would make a search miss an id that is there (and a duplicate entry id pass).
     */
    public boolean isStrictlyAscending() {
        long prevHi = 0;
        long prevLo = 0;
        for (int i = 0; i < size; i++) {
            long h = hi(i);
            long l = lo(i);
            if (i > 0 && compare(prevHi, prevLo, h, l) >= 0) return false;
            prevHi = h;
            prevLo = l;
        }
        return true;
    }
}
