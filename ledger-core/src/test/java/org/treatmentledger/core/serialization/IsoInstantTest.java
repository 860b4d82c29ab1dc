package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IsoInstantTest {

    private static final ObjectMapper STANDARD = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    private static final ObjectMapper LEDGER = LedgerJson.objectMapper();

    @Test
    void the_canonical_form_reads_as_instant_parse_reads_it() {
        Random random = new Random(20261124L);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            long second = min + (long) (random.nextDouble() * (max - min));
            int nanos = switch (i % 4) { // toString writes 0, 3, 6 or 9 fraction digits
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(second, nanos).toString();
            assertThat(IsoInstant.parseCanonical(text.toCharArray(), 0, text.length())).as(text).isEqualTo(Instant.parse(text));
        }
        // Every fraction length Instant.parse accepts, and the days around leap years.
        for (String text : List.of("2026-11-24T04:05:06.1Z", "2026-11-24T04:05:06.12Z", "2026-11-24T04:05:06.1234Z",
                "2026-11-24T04:05:06.12345Z", "2026-11-24T04:05:06.1234567Z", "2026-11-24T04:05:06.12345678Z",
                "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "1900-03-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z")) {
            assertThat(IsoInstant.parseCanonical(text.toCharArray(), 0, text.length())).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void other_forms_are_left_to_the_standard_parser() {
        for (String text : List.of("2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                "2026-11-24T24:00:00Z", "2026-11-24T23:59:60Z", "2026-11-24T04:05:06+01:00", "2026-11-24T04:05:06z",
                "+12026-11-24T04:05:06Z", "2026-11-24T04:05:06.Z", "2026-11-24T04:05:06.1234567890Z", "2026-11-24 04:05:06Z",
                "2026-1x-24T04:05:06Z", "")) {
            assertThat(IsoInstant.parseCanonical(text.toCharArray(), 0, text.length())).as(text).isNull();
        }
    }

    @Test
    void the_ledger_mapper_reads_instants_exactly_as_jackson_jsr310_does() throws Exception {
        var context = ((DefaultDeserializationContext) LEDGER.getDeserializationContext())
                .createDummyInstance(LEDGER.getDeserializationConfig());
        assertThat(context.findRootValueDeserializer(LEDGER.constructType(Instant.class)))
                .isInstanceOf(IsoInstant.Deserializer.class);
        for (String json : List.of("\"2026-11-24T04:05:06.123456789Z\"", "\"2026-11-24T04:05:06Z\"",
                "\"2026-11-24T04:05:06+01:00\"", "\"2026-11-24T23:59:60Z\"", "1764000000.5", "1764000000", "null")) {
            assertThat(LEDGER.readValue(json, Instant.class)).as(json).isEqualTo(STANDARD.readValue(json, Instant.class));
        }
        assertThatThrownBy(() -> LEDGER.readValue("\"2026-02-29T00:00:00Z\"", Instant.class))
                .hasRootCauseInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> STANDARD.readValue("\"2026-02-29T00:00:00Z\"", Instant.class))
                .hasRootCauseInstanceOf(DateTimeParseException.class);
    }
}
