package org.treatmentledger.core.patient;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.rules.timeline.Timeline;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readArray;
import static org.treatmentledger.core.serialization.SnapshotJson.readEnum;
import static org.treatmentledger.core.serialization.SnapshotJson.readInstant;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;
import static org.treatmentledger.core.serialization.SnapshotJson.readStrings;
import static org.treatmentledger.core.serialization.SnapshotJson.writeInstant;

/**
 * The Patient snapshot's form (revision 2, see {@link Patient}). Entry ids are grouped by type instead of one
 * object per entry, which made a 10,000-entry patient's snapshot 1.9 MB and its cold load slow:
 * <pre>
 * {"patientId": "...", "registeredAt": epochNanos, "sex": "FEMALE", "entryCount": 10001,
 *  "entries": {"PHOTO_CHECKPOINT": [entryId, ...], ...},                      refs without a side effect
 *  "sideEffectEntries": {"SIDE_EFFECT_REPORTED": [entryId, sideEffectId, ...], ...},   id pairs
 *  "voided": [entryId, ...],
 *  "timeline": {...}}                                                         see TimelineJson
 * </pre>
 * The side effect ids already used (Patient's duplicate check) are the timeline's plus those of voided reports.
 */
final class PatientJson {

    private PatientJson() { }

    static final class Writer extends StdSerializer<Patient> {
        Writer() { super(Patient.class); }

        @Override
        public void serialize(Patient patient, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Map<String, EntryRef> entries = patient.entryRefs();
            // Sorted by id, so the same state always gives the same bytes (a hash map's order depends on its history).
            List<Map.Entry<String, EntryRef>> sorted = new ArrayList<>(entries.entrySet());
            sorted.sort(Map.Entry.comparingByKey());
            Map<EntryType, List<String>> plain = new EnumMap<>(EntryType.class);
            Map<EntryType, List<String>> withSideEffect = new EnumMap<>(EntryType.class);
            List<String> voided = new ArrayList<>();
            for (Map.Entry<String, EntryRef> e : sorted) {
                EntryRef ref = e.getValue();
                if (ref.sideEffectId() == null) {
                    plain.computeIfAbsent(ref.type(), t -> new ArrayList<>()).add(e.getKey());
                } else {
                    List<String> pairs = withSideEffect.computeIfAbsent(ref.type(), t -> new ArrayList<>());
                    pairs.add(e.getKey());
                    pairs.add(ref.sideEffectId());
                }
                if (ref.voided()) voided.add(e.getKey());
            }
            gen.writeStartObject();
            gen.writeStringField("patientId", patient.patientId() == null ? null : patient.patientId().value());
            gen.writeFieldName("registeredAt");
            writeInstant(gen, patient.registeredAt());
            gen.writeStringField("sex", patient.sex() == null ? null : patient.sex().name());
            gen.writeNumberField("entryCount", entries.size());
            writeGroups(gen, "entries", plain);
            writeGroups(gen, "sideEffectEntries", withSideEffect);
            writeStrings(gen, "voided", voided);
            provider.defaultSerializeField("timeline", patient.timeline(), gen);
            gen.writeEndObject();
        }

        private static void writeGroups(JsonGenerator gen, String field, Map<EntryType, List<String>> groups) throws IOException {
            gen.writeObjectFieldStart(field);
            for (Map.Entry<EntryType, List<String>> group : groups.entrySet()) {
                writeStrings(gen, group.getKey().name(), group.getValue());
            }
            gen.writeEndObject();
        }

        private static void writeStrings(JsonGenerator gen, String field, List<String> values) throws IOException {
            gen.writeArrayFieldStart(field);
            for (String value : values) gen.writeString(value);
            gen.writeEndArray();
        }
    }

    static final class Reader extends StdDeserializer<Patient> {
        Reader() { super(Patient.class); }

        @Override
        public Patient deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            expect(p, ctxt, JsonToken.START_OBJECT);
            PatientId patientId = null;
            Instant registeredAt = null;
            Sex sex = null;
            HashMap<String, EntryRef> entries = null;
            List<String> voided = new ArrayList<>();
            Timeline timeline = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "patientId" -> {
                        String id = readString(p, ctxt);
                        patientId = id == null ? null : PatientId.of(id);
                    }
                    case "registeredAt" -> registeredAt = readInstant(p, ctxt);
                    case "sex" -> sex = readEnum(p, ctxt, Sex.class);
                    // Sized once: rehashing 10,000 entries while loading was measurable.
                    case "entryCount" -> entries = new HashMap<>(p.getIntValue() * 4 / 3 + 16);
                    case "entries" -> readGroups(p, ctxt, entries = orNew(entries), false);
                    case "sideEffectEntries" -> readGroups(p, ctxt, entries = orNew(entries), true);
                    case "voided" -> readStrings(p, ctxt, voided::add);
                    case "timeline" -> timeline = ctxt.readValue(p, Timeline.class);
                    default -> p.skipChildren(); // written by a newer version: ignored, like unknown properties elsewhere
                }
            }
            entries = orNew(entries);
            for (String id : voided) {
                EntryRef ref = entries.get(id);
                if (ref == null) return (Patient) ctxt.reportInputMismatch(Patient.class, "voided entry %s is not among the entries", id);
                entries.put(id, ref.asVoided());
            }
            return new Patient(patientId, registeredAt, sex, entries, voided, timeline);
        }

        private static HashMap<String, EntryRef> orNew(HashMap<String, EntryRef> entries) {
            return entries == null ? new HashMap<>() : entries;
        }

        private static EntryType entryType(String name, DeserializationContext ctxt) throws IOException {
            try {
                return EntryType.valueOf(name);
            } catch (IllegalArgumentException e) {
                return ctxt.reportInputMismatch(Patient.class, "unknown entry type %s", name);
            }
        }

        private static void readGroups(JsonParser p, DeserializationContext ctxt, HashMap<String, EntryRef> entries,
                                       boolean pairs) throws IOException {
            expect(p, ctxt, JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                EntryType type = entryType(p.currentName(), ctxt);
                p.nextToken();
                if (!pairs) {
                    EntryRef ref = EntryRef.of(type);
                    readStrings(p, ctxt, id -> entries.put(id, ref));
                } else {
                    readArray(p, ctxt, () -> {
                        String id = readString(p, ctxt);
                        p.nextToken();
                        entries.put(id, EntryRef.of(type, readString(p, ctxt)));
                    });
                }
            }
        }
    }
}
