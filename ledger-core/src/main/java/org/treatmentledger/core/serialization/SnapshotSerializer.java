package org.treatmentledger.core.serialization;

import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The snapshot serializer of the JDBC event store: writes snapshots in Smile, reads Smile or JSON.
 * <p>
 * Why: a long history's snapshot is mostly packed columns (16 bytes per entry id). In JSON they are base64 text,
 * and decoding it was most of the cold load of a 10,000-entry patient. Smile stores them as they are, with the
 * same Jackson mapping and the same readers. Snapshots are a cache of the events, never the record: the
 * events stay JSON.
 * <p>
 * It reads JSON snapshots too (Axon Server's event store writes them with the service's JSON serializer, and a
 * snapshot is easier to doctor in a test as JSON): a Smile document starts with its header {@code ":)\n"}, which
 * no JSON document does. Text representations are always JSON. Snapshots of revision 3 and before (all JSON) are
 * skipped by revision, not read: see Patient.
 */
public final class SnapshotSerializer implements Serializer {

    private static final byte[] SMILE_HEADER = {':', ')', '\n'};

    private final JacksonSerializer smile = LedgerJson.serializer(LedgerJson.smileMapper());
    private final JacksonSerializer json = LedgerJson.serializer();

    @Override
    public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
        return expectedRepresentation == byte[].class ? smile.serialize(object, expectedRepresentation)
                : json.serialize(object, expectedRepresentation);
    }

    @Override
    public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
        return json.canSerializeTo(expectedRepresentation);
    }

    @Override
    public <S, T> T deserialize(SerializedObject<S> serializedObject) {
        if (serializedObject.getData() instanceof byte[] bytes && isSmile(bytes)) {
            return smile.deserialize(serializedObject);
        }
        return json.deserialize(serializedObject);
    }

    static boolean isSmile(byte[] bytes) {
        if (bytes.length < SMILE_HEADER.length) return false;
        for (int i = 0; i < SMILE_HEADER.length; i++) {
            if (bytes[i] != SMILE_HEADER[i]) return false;
        }
        return true;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class classForType(SerializedType type) { return json.classForType(type); }

    @Override
    @SuppressWarnings("rawtypes")
    public SerializedType typeForClass(Class type) { return json.typeForClass(type); }

    @Override
    public Converter getConverter() { return json.getConverter(); }
}
