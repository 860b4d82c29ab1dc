package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;

import java.io.IOException;
import java.time.Instant;
import java.time.Month;
import java.time.Year;

/**
 * Reads the form {@link Instant#toString()} writes ({@code 2026-11-24T04:05:06.123456Z}: four-digit year, 0 to 9
 * fraction digits, upper-case Z) without a DateTimeFormatter, which was a tenth of decoding an event. Anything
 * else (offsets, leap seconds, other years, numbers) is left to the standard parser, so what is accepted and what
 * it means do not change.
 */
public final class IsoInstant {

    private IsoInstant() { }

    /** The instant {@code text[offset, offset + length)} denotes in the canonical form, or null if it is not in it. */
    public static Instant parseCanonical(char[] text, int offset, int length) {
        // yyyy-MM-ddTHH:mm:ssZ is 20 characters; with a fraction, 22 to 30.
        if (length < 20 || length > 30 || length == 21 || text[offset + length - 1] != 'Z') return null;
        int year = digits(text, offset, 4);
        int month = digits(text, offset + 5, 2);
        int day = digits(text, offset + 8, 2);
        int hour = digits(text, offset + 11, 2);
        int minute = digits(text, offset + 14, 2);
        int second = digits(text, offset + 17, 2);
        if ((year | month | day | hour | minute | second) < 0
                || text[offset + 4] != '-' || text[offset + 7] != '-' || text[offset + 10] != 'T'
                || text[offset + 13] != ':' || text[offset + 16] != ':') {
            return null;
        }
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (length > 20) {
            if (text[offset + 19] != '.') return null;
            int fraction = length - 21;
            int value = digits(text, offset + 20, fraction);
            if (value < 0) return null;
            nanos = value;
            for (int i = fraction; i < 9; i++) nanos *= 10;
        }
        long epochDay = epochDay(year, month, day);
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    public static Instant parse(String text) {
        Instant fast = parseCanonical(text.toCharArray(), 0, text.length());
        return fast != null ? fast : Instant.parse(text);
    }

    /** The value of {@code n} decimal digits, or -1 if one is not a digit. */
    private static int digits(char[] text, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date (as LocalDate.toEpochDay computes it). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400; // years 0000-9999 only: never negative here
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) total -= Year.isLeap(year) ? 1 : 2;
        return total - 719_528L; // DAYS_0000_TO_1970
    }

    /** The Jackson deserializer: the canonical form fast, everything else as jackson-datatype-jsr310 reads it. */
    public static final class Deserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = parseCanonical(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                if (fast != null) return fast;
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }

        @Override
        public Class<?> handledType() { return Instant.class; }
    }
}
