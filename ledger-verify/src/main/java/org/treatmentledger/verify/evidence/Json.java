package org.treatmentledger.verify.evidence;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Strict reading of the integrity documents: every field of the documented type, no guessing. */
final class Json {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    static JsonNode read(byte[] json, String what) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new BundleFormatException("the " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new BundleFormatException("the " + what + " is not valid JSON (" + firstLine(e.getMessage()) + ")");
        }
    }

    static String text(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new BundleFormatException(where + " has no text field \"" + field + "\"");
        }
        return value.textValue();
    }

    /** A text field that may be null or absent (an access record's role, clinic, patient). */
    static String optionalText(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BundleFormatException(where + " has a non-text field \"" + field + "\"");
        }
        return value.textValue();
    }

    static long integer(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BundleFormatException(where + " has no integer field \"" + field + "\"");
        }
        return value.longValue();
    }

    static JsonNode object(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || !value.isObject()) {
            throw new BundleFormatException(where + " has no object field \"" + field + "\"");
        }
        return value;
    }

    static List<JsonNode> array(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || !value.isArray()) {
            throw new BundleFormatException(where + " has no array field \"" + field + "\"");
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        return items;
    }

    static List<String> textArray(JsonNode object, String field, String where) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array(object, field, where)) {
            if (!item.isTextual()) {
                throw new BundleFormatException(where + " has a non-text item in \"" + field + "\"");
            }
            texts.add(item.textValue());
        }
        return texts;
    }

    static byte[] write(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
