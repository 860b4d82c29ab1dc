package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.PatientId;

import java.util.List;

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
    void keepsAxonsLenientDeserialization() throws Exception {
        // Axon's Builder.build() enables these for lenientDeserialization(); the subclass is built without it.
        for (JacksonSerializer s : List.of(serializer, LedgerJson.serializer(LedgerJson.smileMapper()))) {
            assertThat(s.getObjectMapper().isEnabled(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)).isTrue();
            assertThat(s.getObjectMapper().isEnabled(DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS)).isTrue();
            assertThat(s.getObjectMapper().isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isFalse();
        }
        assertThat(serializer.getObjectMapper().readValue("\"one\"", String[].class)).containsExactly("one");
        assertThat(serializer.getObjectMapper().readValue("[\"only\"]", String.class)).isEqualTo("only");
    }

    @Test
    void roundTripsAsAxonsSerializer() {
        SerializedObject<byte[]> bytes = serializer.serialize(PatientId.of("p-1"), byte[].class);
        PatientId back = serializer.deserialize(bytes);
        assertThat(back).isEqualTo(PatientId.of("p-1"));
    }
}
