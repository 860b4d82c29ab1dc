package org.treatmentledger.core.rules.timeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readArray;
import static org.treatmentledger.core.serialization.SnapshotJson.readEnum;
import static org.treatmentledger.core.serialization.SnapshotJson.readInstant;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;
import static org.treatmentledger.core.serialization.SnapshotJson.writeInstant;

/**
 * The timeline's snapshot form: each entry a positional array, instants as epoch nanos, enums by name
 * (never ordinal, so adding a constant cannot shift stored values):
 * <pre>
 * {"doses":   [[entryId, occurredAt, touchUp, product, intent, [[site, units], ...]], ...],
 *  "lasers":  [[entryId, occurredAt, deviceClass, [zone, ...], seriesId], ...],
 *  "sideEffects": {...}}       packed columns, see SideEffects
 * </pre>
 * A field name per value made a long patient's snapshot several times larger and slower to read.
 */
final class TimelineJson {

    private TimelineJson() { }

    static final class Writer extends StdSerializer<Timeline> {
        Writer() { super(Timeline.class); }

        @Override
        public void serialize(Timeline timeline, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeArrayFieldStart("doses");
            for (DoseEntry d : timeline.doses()) {
                gen.writeStartArray();
                gen.writeString(d.entryId());
                writeInstant(gen, d.occurredAt());
                gen.writeBoolean(d.touchUp());
                writeEnum(gen, d.product());
                writeEnum(gen, d.intent());
                gen.writeStartArray();
                for (SiteDose s : d.sites()) {
                    gen.writeStartArray();
                    writeEnum(gen, s.site());
                    if (s.units() == null) gen.writeNull(); else gen.writeNumber(s.units().value());
                    gen.writeEndArray();
                }
                gen.writeEndArray();
                gen.writeEndArray();
            }
            gen.writeEndArray();
            gen.writeArrayFieldStart("lasers");
            for (LaserEntry l : timeline.lasers()) {
                gen.writeStartArray();
                gen.writeString(l.entryId());
                writeInstant(gen, l.occurredAt());
                writeEnum(gen, l.deviceClass());
                gen.writeStartArray();
                for (Zone z : l.zones()) writeEnum(gen, z);
                gen.writeEndArray();
                gen.writeString(l.seriesId());
                gen.writeEndArray();
            }
            gen.writeEndArray();
            gen.writeFieldName("sideEffects");
            timeline.sideEffectStore().write(gen);
            gen.writeEndObject();
        }

        private static void writeEnum(JsonGenerator gen, Enum<?> value) throws IOException {
            if (value == null) gen.writeNull(); else gen.writeString(value.name());
        }
    }

    static final class Reader extends StdDeserializer<Timeline> {
        Reader() { super(Timeline.class); }

        @Override
        public Timeline deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            expect(p, ctxt, JsonToken.START_OBJECT);
            List<DoseEntry> doses = new ArrayList<>();
            List<LaserEntry> lasers = new ArrayList<>();
            SideEffects sideEffects = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "doses" -> readArray(p, ctxt, () -> doses.add(dose(p, ctxt)));
                    case "lasers" -> readArray(p, ctxt, () -> lasers.add(laser(p, ctxt)));
                    case "sideEffects" -> sideEffects = SideEffects.read(p, ctxt, 128);
                    default -> p.skipChildren(); // written by a newer version: ignored, like unknown properties elsewhere
                }
            }
            return Timeline.restore(doses, lasers, sideEffects);
        }

        private static DoseEntry dose(JsonParser p, DeserializationContext ctxt) throws IOException {
            expect(p, ctxt, JsonToken.START_ARRAY);
            p.nextToken();
            String entryId = readString(p, ctxt);
            p.nextToken();
            var occurredAt = readInstant(p, ctxt);
            boolean touchUp = p.nextToken() == JsonToken.VALUE_TRUE;
            p.nextToken();
            Product product = readEnum(p, ctxt, Product.class);
            p.nextToken();
            DoseIntent intent = readEnum(p, ctxt, DoseIntent.class);
            p.nextToken();
            List<SiteDose> sites = new ArrayList<>();
            readArray(p, ctxt, () -> {
                expect(p, ctxt, JsonToken.START_ARRAY);
                p.nextToken();
                Site site = readEnum(p, ctxt, Site.class);
                Units units = p.nextToken() == JsonToken.VALUE_NULL ? null : Units.of(p.getDecimalValue());
                p.nextToken();
                expect(p, ctxt, JsonToken.END_ARRAY);
                sites.add(new SiteDose(site, units));
            });
            p.nextToken();
            expect(p, ctxt, JsonToken.END_ARRAY);
            return new DoseEntry(entryId, occurredAt, touchUp, product, intent, sites);
        }

        private static LaserEntry laser(JsonParser p, DeserializationContext ctxt) throws IOException {
            expect(p, ctxt, JsonToken.START_ARRAY);
            p.nextToken();
            String entryId = readString(p, ctxt);
            p.nextToken();
            var occurredAt = readInstant(p, ctxt);
            p.nextToken();
            LaserDeviceClass deviceClass = readEnum(p, ctxt, LaserDeviceClass.class);
            p.nextToken();
            List<Zone> zones = new ArrayList<>();
            readArray(p, ctxt, () -> zones.add(readEnum(p, ctxt, Zone.class)));
            p.nextToken();
            String seriesId = readString(p, ctxt);
            p.nextToken();
            expect(p, ctxt, JsonToken.END_ARRAY);
            return new LaserEntry(entryId, occurredAt, deviceClass, zones, seriesId);
        }
    }
}
