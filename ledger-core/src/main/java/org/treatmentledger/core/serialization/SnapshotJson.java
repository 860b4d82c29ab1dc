package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.time.Instant;

/**
 * Small streaming helpers for the compact snapshot formats (Patient, Timeline). A 10,000-entry patient's
 * snapshot is read on every cold load, so these formats are hand-written arrays rather than objects per value.
 */
public final class SnapshotJson {

    private SnapshotJson() { }

    /**
     * Epoch nanoseconds (exact, and no date parsing on load: parsing ISO text was most of a long snapshot's
     * read time); ISO-8601 for the instants outside the years 1677 to 2262 that a long cannot hold in nanos.
     */
    public static void writeInstant(JsonGenerator gen, Instant instant) throws IOException {
        if (instant == null) {
            gen.writeNull();
        } else if (instant.getEpochSecond() > MIN_NANOS_SECOND && instant.getEpochSecond() < MAX_NANOS_SECOND) {
            gen.writeNumber(instant.getEpochSecond() * NANOS + instant.getNano());
        } else {
            gen.writeString(instant.toString());
        }
    }

    private static final long NANOS = 1_000_000_000L;
    // Strictly inside these bounds, seconds * 1e9 + nanos cannot overflow a long.
    private static final long MIN_NANOS_SECOND = Long.MIN_VALUE / NANOS + 1;
    private static final long MAX_NANOS_SECOND = Long.MAX_VALUE / NANOS - 1;

    /** Reads what {@link #writeInstant} wrote, the parser being on the value's token. */
    public static Instant readInstant(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long nanos = p.getLongValue();
            return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
        }
        if (t == JsonToken.VALUE_STRING) return Instant.parse(p.getText());
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
    }

    /** The parser on the value's token: a string or null. */
    public static String readString(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) return p.getText();
        if (t == JsonToken.VALUE_NULL) return null;
        return (String) ctxt.handleUnexpectedToken(String.class, p);
    }

    /** The parser on the value's token: an enum constant by name, or null. */
    public static <E extends Enum<E>> E readEnum(JsonParser p, DeserializationContext ctxt, Class<E> type) throws IOException {
        String name = readString(p, ctxt);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** The parser on START_ARRAY: each element (the parser on its token) to {@code element}; ends on END_ARRAY. */
    public static void readArray(JsonParser p, DeserializationContext ctxt, Element element) throws IOException {
        expect(p, ctxt, JsonToken.START_ARRAY);
        while (p.nextToken() != JsonToken.END_ARRAY) element.read();
    }

    public static void expect(JsonParser p, DeserializationContext ctxt, JsonToken token) throws IOException {
        if (p.currentToken() != token) throw ctxt.wrongTokenException(p, Object.class, token, "in a compact snapshot");
    }

    /** Reads one array element; the parser is on its first token and must be left on its last. */
    @FunctionalInterface
    public interface Element {
        void read() throws IOException;
    }
}
