package org.treatmentledger.core.personaldata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.serialization.LedgerJson;

/**
 * The event store's serializer with crypto-shredding: the ledger's JSON, where each patient event's
 * {@link PersonalData} fields are encrypted under the key of its {@link DataSubject}. So the stored payload, and
 * everything computed from it (the integrity log's leaves, the read side's copy of the payloads, dead letters),
 * holds ciphertext only. Reading is the same JSON through {@link PersonalDataModule}: an erased field reads as null.
 * Everything that is not a patient event is left to the plain serializer.
 */
public final class PersonalDataSerializer implements Serializer {

    private final ObjectMapper mapper;
    private final JacksonSerializer delegate;

    public PersonalDataSerializer(SubjectKeys keys) {
        this.mapper = mapper(keys);
        this.delegate = LedgerJson.serializer(mapper);
    }

    /** The ledger's JSON mapping with personal fields encrypted on write and decrypted on read. */
    public static ObjectMapper mapper(SubjectKeys keys) {
        return LedgerJson.objectMapper().registerModule(new PersonalDataModule(keys));
    }

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        if (!(object instanceof PatientEvent event)) return delegate.serialize(object, expectedRepresentation);
        byte[] bytes;
        try {
            bytes = mapper.writer().withAttribute(PersonalDataModule.SUBJECT, event.patientId().value())
                    .writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot serialize " + event.getClass().getSimpleName(), e);
        }
        SerializedObject<byte[]> serialized = new SimpleSerializedObject<>(bytes, byte[].class,
                delegate.typeForClass(object.getClass()));
        return expectedRepresentation == byte[].class ? (SerializedObject<T>) serialized
                : delegate.getConverter().convert(serialized, expectedRepresentation);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return delegate.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        return delegate.deserialize(serializedObject);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) { return delegate.classForType(type); }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) { return delegate.typeForClass(type); }

    @Override
    public Converter getConverter() { return delegate.getConverter(); }
}
