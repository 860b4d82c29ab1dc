package org.treatmentledger.core.personaldata;

import org.axonframework.serialization.SerializedObject;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.serialization.LedgerJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalDataSerializerTest {

    private static final PatientId P = PatientId.of("p-1");
    private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");

    private final InMemorySubjectKeys keys = new InMemorySubjectKeys();
    private final PersonalDataSerializer serializer = new PersonalDataSerializer(keys);

    private String stored(Object event) {
        return new String(serializer.serialize(event, byte[].class).getData(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Object event) {
        SerializedObject<byte[]> so = serializer.serialize(event, byte[].class);
        return (T) serializer.deserialize(so);
    }

    @Test
    void personal_fields_are_stored_as_ciphertext_and_clinical_facts_in_clear() {
        PatientRegistered reg = new PatientRegistered(P, "p-1:registration", AT, "clinic-1", Sex.FEMALE, 1977, "CANARY-REF");
        String json = stored(reg);
        assertThat(json).doesNotContain("CANARY-REF").doesNotContain("1977").contains("\"clinic-1\"").contains("FEMALE")
                .contains("\"externalRef\":\"pd1:p-1:").contains("\"birthYear\":\"pd1:p-1:");
        assertThat((PatientRegistered) read(reg)).isEqualTo(reg);
    }

    @Test
    void nested_personal_fields_take_the_events_subject() {
        PhotoCheckpointRecorded photo = new PhotoCheckpointRecorded(P, "e2", AT, CheckpointKind.BASELINE,
                List.of(new PhotoImage("FRONT", "ab".repeat(32), "https://photos/CANARY-URI")));
        EntryAmended amend = new EntryAmended(P, "e3", AT, "e2", "CANARY-REASON", photo);
        String json = stored(amend);
        assertThat(json).doesNotContain("CANARY").contains("\"sha256\":\"" + "ab".repeat(32) + "\"");
        assertThat((EntryAmended) read(amend)).isEqualTo(amend);
    }

    @Test
    void a_destroyed_key_reads_as_null_and_never_throws() {
        CycleFactorReported factor = new CycleFactorReported(P, "e4", AT, CycleFactor.ILLNESS, "CANARY-NOTE");
        SerializedObject<byte[]> so = serializer.serialize(factor, byte[].class);
        keys.destroy(P.value());
        CycleFactorReported erased = serializer.deserialize(so);
        assertThat(erased.note()).isNull();
        assertThat(erased.factor()).isEqualTo(CycleFactor.ILLNESS);
        assertThat(erased.occurredAt()).isEqualTo(AT);
        // Nothing personal can be written for an erased subject.
        assertThatThrownBy(() -> serializer.serialize(factor, byte[].class)).hasRootCauseInstanceOf(SubjectErasedException.class);
    }

    @Test
    void a_personal_value_is_never_written_without_a_subject() {
        var mapper = PersonalDataSerializer.mapper(keys);
        assertThatThrownBy(() -> mapper.writeValueAsString(new PhotoImage("FRONT", "x", "CANARY")))
                .hasMessageContaining("without a data subject");
    }

    @Test
    void a_ciphertext_moved_to_another_field_or_patient_fails_its_tag() {
        PatientRegistered reg = new PatientRegistered(P, "p-1:registration", AT, "clinic-1", Sex.FEMALE, 1977, "REF");
        String json = stored(reg);
        String ref = json.replaceAll(".*\"externalRef\":\"([^\"]+)\".*", "$1");
        CycleFactorReported moved = new CycleFactorReported(P, "e5", AT, CycleFactor.ILLNESS, null);
        String movedJson = stored(moved).replace("\"note\":null", "\"note\":\"" + ref + "\"");
        assertThatThrownBy(() -> PersonalDataSerializer.mapper(keys).readValue(movedJson, CycleFactorReported.class))
                .hasRootCauseInstanceOf(javax.crypto.AEADBadTagException.class);
    }

    @Test
    void values_stored_in_clear_before_encryption_are_read_and_counted() throws Exception {
        CycleFactorReported legacy = new CycleFactorReported(P, "e6", AT, CycleFactor.ILLNESS, "old note");
        byte[] plain = LedgerJson.objectMapper().writeValueAsBytes(legacy);
        AtomicInteger seen = new AtomicInteger();
        PatientEvent read = PersonalDataSerializer.mapper(keys).readerFor(CycleFactorReported.class)
                .withAttribute(PersonalDataModule.PLAINTEXT_SEEN, seen).readValue(plain);
        assertThat(read).isEqualTo(legacy);
        assertThat(seen).hasValue(1);
        AtomicInteger none = new AtomicInteger();
        PersonalDataSerializer.mapper(keys).readerFor(CycleFactorReported.class)
                .withAttribute(PersonalDataModule.PLAINTEXT_SEEN, none).readValue(stored(legacy).getBytes(StandardCharsets.UTF_8));
        assertThat(none).hasValue(0);
    }
}
