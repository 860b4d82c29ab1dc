package org.treatmentledger.projections.rebuild;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.serialization.LedgerJson;

import java.io.IOException;

/** The one metadata field the read models keep, read from an event's stored metadata bytes. */
final class RecordedByMetadata {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    private RecordedByMetadata() { }

    /** The metadata's recordedBy text (null if absent or null), read without building the whole tree. */
    static String read(byte[] metadata) throws IOException {
        try (JsonParser p = JSON.getFactory().createParser(metadata)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("metadata is not an object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = PatientEvent.RECORDED_BY.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted) return value == JsonToken.VALUE_NULL ? null : value.isScalarValue() ? p.getText() : "";
                p.skipChildren();
            }
            return null;
        }
    }
}
