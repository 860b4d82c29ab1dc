package org.treatmentledger.core.patient;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.rules.timeline.SideEffectEntry;
import org.treatmentledger.core.rules.timeline.Timeline;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readEnum;
import static org.treatmentledger.core.serialization.SnapshotJson.readInstant;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;
import static org.treatmentledger.core.serialization.SnapshotJson.writeInstant;

/**
 * The Patient snapshot's form (revision 4, see {@link Patient}; shown as JSON, stored as Smile in the JDBC store):
 * <pre>
 * {"patientId": "...", "registeredAt": epochNanos, "sex": "FEMALE",
 *  "entries": {...},          every entry id with its type, packed: see EntryIndex
 *  "timeline": {...}}         see TimelineJson
 * </pre>
 * The entries leave out each side effect report and resolution that the timeline's side effects record under
 * the same entry id (alone), so those ids are stored once; the reader finds them there.
 * The side effect ids already used (Patient's duplicate check) are the timeline's plus those of voided reports.
 * Revision 2 listed every id as a JSON string grouped by type; a 10,000-entry patient took 1.6 ms to read.
 */
final class PatientJson {

    private PatientJson() { }

    static final class Writer extends StdSerializer<Patient> {
        Writer() { super(Patient.class); }

        @Override
        public void serialize(Patient patient, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("patientId", patient.patientId() == null ? null : patient.patientId().value());
            gen.writeFieldName("registeredAt");
            writeInstant(gen, patient.registeredAt());
            gen.writeStringField("sex", patient.sex() == null ? null : patient.sex().name());
            gen.writeFieldName("entries");
            patient.entryIndex().write(gen, derivable(patient.timeline()));
            provider.defaultSerializeField("timeline", patient.timeline(), gen);
            gen.writeEndObject();
        }
    }

    /**
     * The refs a reader will find for the entries left to the timeline (see {@link Patient#derivedEntries}): each
     * side effect's report and resolution entry, where the entry id is recorded only once (else nothing is left out).
     */
    private static Function<String, EntryRef> derivable(Timeline timeline) {
        Map<String, EntryRef> refs = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (SideEffectEntry s : timeline.sideEffectList()) {
            if (s.sideEffectId() == null) continue; // the reader finds nothing under a null id
            if (s.entryId() != null) {
                refs.put(s.entryId(), EntryRef.of(EntryType.SIDE_EFFECT_REPORTED, s.sideEffectId()));
                seen.merge(s.entryId(), 1, Integer::sum);
            }
            if (s.resolutionEntryId() != null) {
                refs.put(s.resolutionEntryId(), EntryRef.of(EntryType.SIDE_EFFECT_RESOLVED, s.sideEffectId()));
                seen.merge(s.resolutionEntryId(), 1, Integer::sum);
            }
        }
        return id -> seen.getOrDefault(id, 0) == 1 ? refs.get(id) : null;
    }

    static final class Reader extends StdDeserializer<Patient> {
        Reader() { super(Patient.class); }

        @Override
        public Patient deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            expect(p, ctxt, JsonToken.START_OBJECT);
            PatientId patientId = null;
            Instant registeredAt = null;
            Sex sex = null;
            EntryIndex entries = null;
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
                    case "entries" -> entries = EntryIndex.read(p, ctxt);
                    case "timeline" -> timeline = ctxt.readValue(p, Timeline.class);
                    default -> p.skipChildren(); // written by a newer version: ignored, like unknown properties elsewhere
                }
            }
            return new Patient(patientId, registeredAt, sex, entries == null ? new EntryIndex() : entries, timeline);
        }
    }
}
