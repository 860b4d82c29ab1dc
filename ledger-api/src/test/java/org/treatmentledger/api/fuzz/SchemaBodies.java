package org.treatmentledger.api.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.math.RoundingMode;

/**
 * Request bodies generated from the OpenAPI schemas the service serves: mostly values each schema allows
 * (enums, formats, bounds, lengths), so that mutations around them reach deep into the validation and the rules.
 * Strings and numbers come from jqwik's generators, driven by the caller's seeded {@link Random}.
 */
final class SchemaBodies {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode schemas;
    private final Random random;
    private final Map<String, RandomGenerator<String>> strings = new HashMap<>();
    private final RandomGenerator<BigDecimal> decimals = Arbitraries.bigDecimals()
            .between(new BigDecimal("-1000"), new BigDecimal("100000")).ofScale(3).generator(100);

    SchemaBodies(JsonNode openApi, Random random) {
        this.schemas = openApi.at("/components/schemas");
        this.random = random;
    }

    JsonNode schema(String name) {
        JsonNode schema = schemas.get(name);
        if (schema == null) throw new IllegalArgumentException("no schema " + name + " in /v3/api-docs");
        return schema;
    }

    /** A body the schema allows (with optional fields sometimes left out). */
    JsonNode body(String schemaName) {
        return value(schema(schemaName), 0);
    }

    JsonNode value(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (schema.has("enum")) return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        String type = schema.path("type").asText("object");
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> string(schema);
        };
    }

    JsonNode resolve(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) return schema;
        return schema(ref.asText().substring(ref.asText().lastIndexOf('/') + 1));
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        schema.path("properties").fields().forEachRemaining(property -> {
            // Overrides are for rule refusals; mostly left out so that the bodies are recorded when valid.
            boolean wanted = required.contains(property.getKey())
                    || random.nextInt(property.getKey().equals("override") ? 6 : 2) == 0;
            if (wanted && depth < 6) object.set(property.getKey(), value(property.getValue(), depth + 1));
        });
        return object;
    }

    private ArrayNode array(JsonNode schema, int depth) {
        ArrayNode array = NODES.arrayNode();
        int min = schema.path("minItems").asInt(0);
        int n = min + random.nextInt(3);
        for (int i = 0; i < n; i++) array.add(value(schema.path("items"), depth + 1));
        return array;
    }

    private JsonNode integer(JsonNode schema) {
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : 0;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : Math.max(min + 10, 10);
        return NODES.numberNode(min + (long) (random.nextDouble() * (max - min + 1)));
    }

    private JsonNode number(JsonNode schema) {
        BigDecimal value = decimals.next(random).value().abs().remainder(new BigDecimal("100"));
        if (schema.has("minimum") && value.compareTo(schema.get("minimum").decimalValue()) < 0) {
            value = schema.get("minimum").decimalValue();
        }
        return NODES.numberNode(value.setScale(random.nextInt(3), RoundingMode.DOWN));
    }

    private JsonNode string(JsonNode schema) {
        String format = schema.path("format").asText("");
        if (format.equals("date-time")) {
            return NODES.textNode(Instant.now().truncatedTo(ChronoUnit.SECONDS)
                    .minus(1 + random.nextInt(300), ChronoUnit.DAYS).toString());
        }
        if (format.equals("date")) {
            return NODES.textNode(LocalDate.now().plusDays(random.nextInt(900) - 100).toString());
        }
        if (schema.path("pattern").asText("").contains("0-9a-fA-F")) {
            return NODES.textNode(generated("hex", () -> Arbitraries.strings().withChars("0123456789abcdef").ofLength(64)));
        }
        int max = Math.min(schema.path("maxLength").asInt(40), 40);
        return NODES.textNode(generated("text" + max, () -> Arbitraries.strings().alpha().numeric().withChars(" -_.")
                .ofMinLength(1).ofMaxLength(Math.max(1, max))));
    }

    /** A string from one of jqwik's generators, kept per kind. */
    String generated(String kind, Supplier<Arbitrary<String>> arbitrary) {
        return strings.computeIfAbsent(kind, k -> arbitrary.get().generator(1000)).next(random).value();
    }
}
