package org.treatmentledger.projections.store;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.SideEffectReported;
import org.treatmentledger.core.api.SideEffectResolved;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.personaldata.InMemorySubjectKeys;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.personaldata.SubjectKeys;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.TestLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.treatmentledger.projections.TestLedger.at;
import static org.treatmentledger.projections.TestLedger.dose;

class EventCodecTest {

    @Test
    void every_patient_event_type_survives_the_stored_form() throws Exception {
        TestLedger t = TestLedger.registered("p", "2025-01-01");
        String injection = t.inject("2025-01-10", DoseIntent.FULL, dose(Site.GLABELLA, 20.5));
        t.touchUp("2025-01-26", dose(Site.FOREHEAD, 2));
        t.laser("2025-02-10", LaserDeviceClass.FRACTIONAL_ABLATIVE, "S", 3, Zone.PERIOCULAR, Zone.NECK);
        t.photo("2025-02-17", CheckpointKind.POST_LASER);
        t.factor("2025-03-01", CycleFactor.STRESS);
        t.movementReturn("2025-04-01");
        t.record(new SideEffectReported(t.patient, t.nextId(), "se-1", at("2025-01-11"), SideEffectType.BRUISING,
                Severity.MILD, Zone.FOREHEAD, injection, "small"));
        t.record(new SideEffectResolved(t.patient, t.nextId(), "se-1", at("2025-01-15"), null));
        t.override(t.nextId(), "2025-04-05", RuleCode.RETREATMENT_TOO_SOON);
        t.amend(injection, t.injection(injection, "2025-01-10", DoseIntent.LIGHT, Product.INCOBOTULINUMTOXIN_A,
                "L", dose(Site.GLABELLA, 15)), at("2025-05-01"));
        t.voidEntry(injection, at("2025-05-02"));
        assertThat(t.events()).hasSizeGreaterThanOrEqualTo(12);
        InMemorySubjectKeys keys = new InMemorySubjectKeys();
        EventCodec codec = new EventCodec(keys);
        PersonalDataSerializer stored = new PersonalDataSerializer(keys);
        for (RecordedEvent recorded : t.events()) {
            PatientEvent event = recorded.event();
            // As the event store writes it (personal fields encrypted), and as events written before encryption were.
            assertThat(codec.fromJson(EventCodec.typeName(event), stored.serialize(event, byte[].class).getData())).isEqualTo(event);
            assertThat(codec.fromJson(EventCodec.typeName(event), LedgerJson.objectMapper().writeValueAsBytes(event))).isEqualTo(event);
        }
    }

    @Test
    void an_unknown_stored_type_is_refused_loudly() {
        assertThatThrownBy(() -> new EventCodec(SubjectKeys.NONE).fromJson("SomethingElse", "{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalStateException.class);
    }
}
