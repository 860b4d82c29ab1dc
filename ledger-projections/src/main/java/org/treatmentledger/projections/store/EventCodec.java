package org.treatmentledger.projections.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.api.SideEffectReported;
import org.treatmentledger.core.api.SideEffectResolved;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.personaldata.SubjectKeys;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How read models name and read a stored patient event: its simple class name and its JSON as the event store holds
 * it. The read side keeps the stored payloads as they are, personal fields encrypted; this codec decrypts them when
 * a read model reads them, through the service's data keys, so an erased patient's fields read as null in every read
 * model and every rebuild without anything to purge there.
 */
public final class EventCodec {

    private final ObjectMapper json;

    private static final Map<String, Class<? extends PatientEvent>> TYPES = List.<Class<? extends PatientEvent>>of(
                    PatientRegistered.class, InjectionRecorded.class, TouchUpRecorded.class,
                    LaserSessionRecorded.class, PhotoCheckpointRecorded.class, SideEffectReported.class,
                    SideEffectResolved.class, CycleFactorReported.class, MovementReturnObserved.class,
                    EntryAmended.class, EntryVoided.class, RuleOverridden.class, PatientErased.class)
            .stream().collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    /** A codec that decrypts with {@code keys}. */
    public EventCodec(SubjectKeys keys) {
        this.json = PersonalDataSerializer.mapper(keys);
    }

    /** The fully qualified class names of the patient events, as the event store's payload type names them. */
    public static List<String> storedClassNames() {
        return TYPES.values().stream().map(Class::getName).sorted().toList();
    }

    public static String typeName(PatientEvent event) {
        return event.getClass().getSimpleName();
    }

    public PatientEvent fromJson(String typeName, byte[] payload) {
        Class<? extends PatientEvent> type = TYPES.get(typeName);
        if (type == null) throw new IllegalStateException("unknown stored event type " + typeName);
        try {
            return json.readValue(payload, type);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read stored " + typeName, e);
        }
    }
}
