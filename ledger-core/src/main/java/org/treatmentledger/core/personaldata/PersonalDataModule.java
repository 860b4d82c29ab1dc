package org.treatmentledger.core.personaldata;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.NopAnnotationIntrospector;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import org.treatmentledger.core.serialization.LedgerJson;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKey;

/**
 * Jackson's side of crypto-shredding: every {@link PersonalData} property is written as a {@link FieldCipher}
 * envelope under its subject's key and read back through {@link SubjectKeys}; a destroyed key reads as null, never
 * as an error. The value inside the envelope is the property's plain JSON, so any type (a string, a birth year)
 * is encrypted the same way. Null stays null (there is nothing to protect, and erased reads look the same).
 * <p>
 * Writing needs the subject: the mapper's writer must carry it as the attribute {@link #SUBJECT}
 * ({@link PersonalDataSerializer} sets it from the event's {@link DataSubject}). A personal value written without a
 * subject is refused rather than written in clear. Reading a value stored in clear (an event written before
 * encryption existed) returns it, and counts it in the attribute {@link #PLAINTEXT_SEEN} when the reader has one,
 * so erasure can refuse a patient whose data it could not shred.
 */
public final class PersonalDataModule extends Module {

    /** Writer attribute: the data subject (patient id) whose key encrypts the personal values being written. */
    public static final String SUBJECT = "ledger.personalData.subject";
    /** Reader attribute: an {@link AtomicInteger} counting personal values found stored in clear. */
    public static final String PLAINTEXT_SEEN = "ledger.personalData.plaintextSeen";

    private static final ObjectMapper PLAIN = LedgerJson.nestedObjectMapper();

    private final SubjectKeys keys;

    public PersonalDataModule(SubjectKeys keys) {
        this.keys = keys;
    }

    @Override
    public String getModuleName() { return "ledger-personal-data"; }

    @Override
    public Version version() { return Version.unknownVersion(); }

    @Override
    public void setupModule(SetupContext context) {
        context.insertAnnotationIntrospector(new NopAnnotationIntrospector() {
            @Override
            public Object findSerializer(Annotated a) {
                return a.hasAnnotation(PersonalData.class) ? new Encrypting(keys, null) : null;
            }

            @Override
            public Object findDeserializer(Annotated a) {
                return a.hasAnnotation(PersonalData.class) ? new Decrypting(keys, null, null) : null;
            }
        });
    }

    static final class Encrypting extends JsonSerializer<Object> implements ContextualSerializer {
        private final SubjectKeys keys;
        private final String field;

        Encrypting(SubjectKeys keys, String field) {
            this.keys = keys;
            this.field = field;
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty property) {
            return new Encrypting(keys, property == null ? "" : property.getName());
        }

        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            Object subject = provider.getAttribute(SUBJECT);
            if (!(subject instanceof String s)) {
                throw JsonMappingException.from(provider, "personal field '" + field + "' written without a data subject");
            }
            SecretKey key = keys.forWriting(s);
            gen.writeString(FieldCipher.encrypt(key, s, field, PLAIN.writeValueAsBytes(value)));
        }
    }

    static final class Decrypting extends JsonDeserializer<Object> implements ContextualDeserializer {
        private final SubjectKeys keys;
        private final String field;
        private final JavaType type;

        Decrypting(SubjectKeys keys, String field, JavaType type) {
            this.keys = keys;
            this.field = field;
            this.type = type;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            return new Decrypting(keys, property.getName(), property.getType());
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String text = p.getText();
                if (FieldCipher.isEnvelope(text)) {
                    SecretKey key = keys.forReading(FieldCipher.subjectOf(text));
                    if (key == null) return null; // erased: the key is gone, the value with it
                    return PLAIN.readValue(FieldCipher.decrypt(key, text, field), type);
                }
            }
            Object seen = ctxt.getAttribute(PLAINTEXT_SEEN);
            if (seen instanceof AtomicInteger counter) counter.incrementAndGet();
            return ctxt.readValue(p, type);
        }
    }
}
