package org.treatmentledger.api.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Hostile variations of a valid body: on its JSON tree (fields dropped, nulled, of the wrong type, unknown,
 * duplicated; huge, deep, odd strings, numbers and dates), on its text (tokens JSON does not allow), and on its
 * bytes (invalid UTF-8, a BOM, other encodings, truncation) and content type. Raw text is spliced in through
 * placeholders, so the rest of the body stays well-formed.
 */
final class Mutations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    // Non-ASCII escaped: a lone surrogate in a generated string becomes a \\uD800 escape, not unencodable bytes.
    private static final ObjectMapper WRITER = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    static final List<String> ODD_NUMBERS = List.of("1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "-0",
            "0.0000000000000000000000001", "99999999999999999999999999999", "1".repeat(1200), "0x10", "01", ".5", "1.",
            "+1", "1e", "2147483648", "-9223372036854775809", "1.7976931348623157e309", "4.9e-325", "1E+2147483648",
            "12.3456789", "-20", "0");
    static final List<String> ODD_STRINGS = List.of("", " ", "\u0000", "abc\u0000def", "\uD800", "\uDFFF\uD800",
            "\u202Eevil", "\uD835\uDD4F\uD83D\uDC4D", "\n\t\r", "' OR 1=1 --", "${jndi:ldap://127.0.0.1/x}", "%s%n%x",
            "<script>alert(1)</script>", "\\", "\"", "null", "true", "\uFEFF", "\u00e9\u0301", "\u0085\u2028\u2029");
    static final List<String> ODD_INSTANTS = List.of("2026-02-30T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-03-02T09:30:00",
            "2026-03-02T09:30:00+25:00", "2026-12-31T23:59:60Z", "2026-03-02", "now", "2099-01-01T00:00:00Z",
            "1900-01-01T00:00:00Z", "2026-03-02T09:30:00.123456789123Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
            "2026-03-02T09:30:00-18:00", "2026-W10-1T00:00:00Z", "2026-13-01", "+999999999-12-31", "0000-00-00", "20260101");
    static final List<String> ODD_TOKENS = List.of("NaN", "undefined", "'single'", "True", "nul", "[1,]", "{\"a\":1,}",
            "/* comment */ 1", "// comment\n1", "\"unterminated", "{", "]", "0x1F", "\"\\u12\"", "\"\\x41\"", "\"\\uD800\"");
    static final List<String> UNKNOWN_FIELDS = List.of("recordedAt", "recordedBy", "entryId", "patientId", "id", "version",
            "__proto__", "constructor", "@class", "$ref", "");
    static final List<String> CONTENT_TYPES = Arrays.asList(null, "text/plain", "application/json;charset=UTF-16",
            "application/json;charset=bogus", "application/json; charset=\"utf-8\"", "application/xml",
            "application/x-www-form-urlencoded", "*/*", "application/json, text/plain", "application/merge-patch+json",
            "application/problem+json", "application/json;charset=ISO-8859-1", "application/json;;;", "json",
            "multipart/form-data; boundary=x");
    static final List<byte[]> BAD_UTF8 = List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF},
            new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF},
            new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[]{(byte) 0x80},
            new byte[]{(byte) 0xE2, (byte) 0x82}, new byte[]{0x00}, new byte[]{0x1F}, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

    /** One request's body and content type, and what was done to it (for the failure report). */
    record Body(byte[] bytes, String contentType, List<String> applied) { }

    private final Random random;
    private final SchemaBodies bodies;
    private final Map<String, String> raw = new LinkedHashMap<>();

    Mutations(Random random, SchemaBodies bodies) {
        this.random = random;
        this.bodies = bodies;
    }

    /** {@code valid} (left untouched), mutated 1 to 3 times; sometimes its text, bytes or content type too. */
    Body mutate(JsonNode valid) {
        raw.clear();
        List<String> applied = new ArrayList<>();
        JsonNode tree = valid.deepCopy();
        if (random.nextInt(8) != 0) {
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) tree = mutateTree(tree, applied);
        }
        String text = write(tree);
        for (Map.Entry<String, String> r : raw.entrySet()) text = text.replace(r.getKey(), r.getValue());
        if (random.nextInt(12) == 0) {
            String token = pick(ODD_TOKENS);
            text = random.nextBoolean() ? token : text.replaceFirst(":", ":" + token + " ");
            applied.add("token " + token);
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String contentType = "application/json";
        if (random.nextInt(6) == 0) bytes = mutateBytes(text, bytes, applied);
        if (random.nextInt(12) == 0) {
            contentType = pick(CONTENT_TYPES);
            applied.add("content type " + contentType);
        }
        return new Body(bytes, contentType, applied);
    }

    private JsonNode mutateTree(JsonNode tree, List<String> applied) {
        List<Slot> slots = new ArrayList<>();
        collect(tree, "$", slots);
        if (slots.isEmpty()) {
            applied.add("whole body replaced");
            return oddValue();
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(12)) {
            case 0 -> { slot.remove(); applied.add("dropped " + slot.path); }
            case 1 -> { slot.set(NODES.nullNode()); applied.add("null at " + slot.path); }
            case 2, 3 -> { JsonNode v = oddValue(); slot.set(v); applied.add("wrong type at " + slot.path + ": " + abbreviate(v.toString())); }
            case 4 -> {
                ObjectNode object = anyObject(tree);
                String name = random.nextBoolean() ? pick(UNKNOWN_FIELDS) : bodies.generated("field", () -> Arbitraries.strings().all().ofMaxLength(12));
                if (object != null) { object.set(name, oddValue()); applied.add("unknown field " + abbreviate(name)); }
            }
            case 5 -> {
                String s = random.nextBoolean() ? pick(ODD_STRINGS) : bodies.generated("any", () -> Arbitraries.strings().all().ofMaxLength(40));
                slot.set(NODES.textNode(s)); applied.add("odd string at " + slot.path + ": " + abbreviate(escape(s)));
            }
            case 6 -> { String n = pick(ODD_NUMBERS); slot.set(rawNode(n)); applied.add("odd number at " + slot.path + ": " + abbreviate(n)); }
            case 7 -> { String d = pick(ODD_INSTANTS); slot.set(NODES.textNode(d)); applied.add("odd date at " + slot.path + ": " + d); }
            case 8 -> {
                int length = random.nextBoolean() ? 100_000 : 300_000;
                // One generated chunk repeated: jqwik builds a shrinkable per character, too slow for 300,000.
                String chunk = bodies.generated("chunk", () -> Arbitraries.strings().all().ofLength(1000));
                slot.set(NODES.textNode(chunk.repeat(length / 1000)));
                applied.add("huge string (" + length + " chars) at " + slot.path);
            }
            case 9 -> {
                ArrayNode huge = NODES.arrayNode();
                JsonNode first = slot.current() != null && slot.current().isArray() && !slot.current().isEmpty()
                        ? slot.current().get(0) : null;
                // A small item only: copies of a huge or deeply nested one would make a body of hundreds of MB.
                JsonNode item = first != null && first.toString().length() < 300 && !first.toString().contains("@@")
                        ? first : NODES.numberNode(1);
                int n = 2_000 + random.nextInt(8_000);
                for (int i = 0; i < n; i++) huge.add(item.deepCopy());
                slot.set(huge); applied.add("huge array (" + n + ") at " + slot.path);
            }
            case 10 -> {
                int depth = 500 + random.nextInt(5_000);
                boolean arrays = random.nextBoolean();
                String nested = arrays ? "[".repeat(depth) + "]".repeat(depth) : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
                slot.set(rawNode(nested)); applied.add("nested " + depth + " deep at " + slot.path);
            }
            default -> {
                ObjectNode object = anyObject(tree);
                if (object != null && object.size() > 0) {
                    List<String> names = new ArrayList<>();
                    object.fieldNames().forEachRemaining(names::add);
                    String name = pick(names);
                    String marker = "@@DUP" + raw.size() + "@@";
                    raw.put("\"" + marker + "\"", WRITER.valueToTree(name).toString());
                    object.set(marker, random.nextBoolean() ? oddValue() : object.get(name).deepCopy());
                    applied.add("duplicate key " + name);
                }
            }
        }
        return tree;
    }

    private byte[] mutateBytes(String text, byte[] utf8, List<String> applied) {
        switch (random.nextInt(9)) {
            case 0 -> { applied.add("UTF-8 BOM"); return concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8); }
            case 1, 2 -> {
                byte[] bad = pick(BAD_UTF8);
                int at = text.indexOf('"') < 0 ? 0 : text.indexOf('"') + 1;
                int offset = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length;
                applied.add("bytes " + HexFormat.of().formatHex(bad) + " at " + offset);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(utf8, 0, offset);
                out.writeBytes(bad);
                out.write(utf8, offset, utf8.length - offset);
                return out.toByteArray();
            }
            case 3 -> {
                Charset charset = pick(List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16,
                        Charset.forName("UTF-32")));
                applied.add("encoded " + charset);
                return text.getBytes(charset);
            }
            case 4 -> { applied.add("encoded ISO-8859-1"); return text.getBytes(StandardCharsets.ISO_8859_1); }
            case 5 -> {
                int cut = random.nextInt(Math.max(1, utf8.length));
                applied.add("truncated at " + cut);
                return Arrays.copyOf(utf8, cut);
            }
            case 6 -> {
                String whole = pick(List.of("", "null", "[]", "\"text\"", "42", "{}", "[{}]", "true", " "));
                applied.add("body " + whole);
                return whole.getBytes(StandardCharsets.UTF_8);
            }
            case 7 -> { applied.add("trailing garbage"); return concat(utf8, "}{\"x\":1}".getBytes(StandardCharsets.UTF_8)); }
            default -> { applied.add("no body"); return new byte[0]; }
        }
    }

    /** A value of any JSON type, including raw tokens spliced in as text. */
    JsonNode oddValue() {
        return switch (random.nextInt(10)) {
            case 0 -> NODES.numberNode(random.nextInt(1000) - 500);
            case 1 -> NODES.textNode(pick(ODD_STRINGS));
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.arrayNode().add(NODES.nullNode());
            case 4 -> NODES.objectNode().put("a", 1);
            case 5 -> NODES.arrayNode();
            case 6 -> NODES.objectNode();
            case 7 -> rawNode(pick(ODD_NUMBERS));
            case 8 -> NODES.textNode(pick(ODD_INSTANTS));
            default -> NODES.nullNode();
        };
    }

    private JsonNode rawNode(String text) {
        String marker = "@@RAW" + raw.size() + "@@";
        raw.put("\"" + marker + "\"", text);
        return NODES.textNode(marker);
    }

    private ObjectNode anyObject(JsonNode tree) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        return objects.isEmpty() ? null : objects.get(random.nextInt(objects.size()));
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
        if (node instanceof ObjectNode object) objects.add(object);
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) collectObjects(it.next(), objects);
    }

    private static void collect(JsonNode node, String path, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                slots.add(new Slot(object, name, -1, path + "." + name));
                collect(object.get(name), path + "." + name, slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i, path + "[" + i + "]"));
                collect(array.get(i), path + "[" + i + "]", slots);
            }
        }
    }

    private record Slot(JsonNode parent, String name, int index, String path) {
        JsonNode current() {
            return name != null ? parent.get(name) : parent.get(index);
        }

        void set(JsonNode value) {
            if (name != null) ((ObjectNode) parent).set(name, value);
            else ((ArrayNode) parent).set(index, value);
        }

        void remove() {
            if (name != null) ((ObjectNode) parent).remove(name);
            else ((ArrayNode) parent).remove(index);
        }
    }

    static String write(JsonNode tree) {
        try {
            return WRITER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c > 0x7E) out.append(String.format("\\u%04X", c));
            else out.appendCodePoint(c);
        });
        return out.toString();
    }
}
