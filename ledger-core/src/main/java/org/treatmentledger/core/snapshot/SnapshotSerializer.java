package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.treatmentledger.core.serialization.LedgerJson;

/**
 * The snapshot serializer of the JDBC event store: the ledger's Jackson mapping with the Patient's snapshot form
 * ({@link PatientSnapshotModule}), written in Smile (Jackson's binary JSON: smaller, and faster to read), read
 * from Smile or JSON. Snapshots are a cache of the events, never the record: the events stay JSON.
 * <p>
 * It reads JSON snapshots too (Axon Server's event store writes them with {@link #json()}, and a snapshot is easier
 * to doctor in a test as JSON): a Smile document starts with its header {@code ":)\n"}, which no JSON document
 * does. Text representations are always JSON. Snapshots of another revision are skipped, not read: see
 * {@link PatientSnapshot#REVISION}.
 */
public final class SnapshotSerializer implements Serializer {

    private static final byte[] SMILE_HEADER = {':', ')', '\n'};

    private final JacksonSerializer smile = LedgerJson.serializer(withSnapshots(LedgerJson.smileMapper()));
    private final JacksonSerializer json = json();

    /** The ledger's JSON serializer that also writes and reads snapshots (Axon Server stores them with it). */
    public static JacksonSerializer json() {
        return LedgerJson.serializer(withSnapshots(LedgerJson.objectMapper()));
    }

    private static ObjectMapper withSnapshots(ObjectMapper mapper) {
        return mapper.registerModule(new PatientSnapshotModule());
    }

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
