package org.treatmentledger.core.snapshot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Canonical UUID text (lowercase, 36 characters: it round-trips exactly) as 16 bytes, for {@link PackedEntries}.
 * Unsigned byte order is the order of the text.
 */
final class Uuids {

    private Uuids() { }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] HEX = new byte[128];
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 10; i++) HEX['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) HEX['a' + i] = (byte) (10 + i);
    }

    /** Whether {@code s} is a canonical UUID; if so, its first and last 8 bytes into {@code out} (when not null). */
    static boolean parse(String s, long[] out) {
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

    static int compare(long hi1, long lo1, long hi2, long lo2) {
        int c = Long.compareUnsigned(hi1, hi2);
        return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
    }

    static long hi(byte[] column, int i) { return (long) LONGS.get(column, i * 16); }

    static long lo(byte[] column, int i) { return (long) LONGS.get(column, i * 16 + 8); }

    static void put(byte[] column, int i, long hi, long lo) {
        LONGS.set(column, i * 16, hi);
        LONGS.set(column, i * 16 + 8, lo);
    }

    static String format(long hi, long lo) {
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
}
