package org.treatmentledger.core.serialization;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.PatientId;

import static org.assertj.core.api.Assertions.assertThat;

class ClassCachingJacksonSerializerTest {

    private final JacksonSerializer serializer = LedgerJson.serializer();

    @Test
    void resolvesKnownNamesAndKeepsAnsweringTheSame() {
        SimpleSerializedType type = new SimpleSerializedType(PatientId.class.getName(), null);
        assertThat(serializer.classForType(type)).isEqualTo(PatientId.class);
        assertThat(serializer.classForType(type)).isEqualTo(PatientId.class);
        // The revision does not change the class.
        assertThat(serializer.classForType(new SimpleSerializedType(PatientId.class.getName(), "2")))
                .isEqualTo(PatientId.class);
    }

    @Test
    void anUnknownNameStaysUnknown() {
        SimpleSerializedType type = new SimpleSerializedType("org.example.NotThere", null);
        assertThat(serializer.classForType(type)).isEqualTo(UnknownSerializedType.class);
        assertThat(serializer.classForType(type)).isEqualTo(UnknownSerializedType.class);
    }

    @Test
    void roundTripsAsAxonsSerializer() {
        SerializedObject<byte[]> bytes = serializer.serialize(PatientId.of("p-1"), byte[].class);
        PatientId back = serializer.deserialize(bytes);
        assertThat(back).isEqualTo(PatientId.of("p-1"));
    }
}
