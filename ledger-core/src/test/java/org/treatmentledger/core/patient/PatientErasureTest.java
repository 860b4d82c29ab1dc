package org.treatmentledger.core.patient;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorDetails;
import org.treatmentledger.core.api.ErasePatient;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.ReportCycleFactor;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.snapshot.PatientSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.treatmentledger.core.rules.RuleCode.ALREADY_ERASED;
import static org.treatmentledger.core.rules.RuleCode.PATIENT_ERASED;

class PatientErasureTest extends PatientTestSupport {

    private static final String ERASURE = "patient-1:erasure";

    @Test
    void an_erasure_is_recorded_with_its_reason_at_the_servers_time() {
        fixture.givenCommands(register())
                .when(new ErasePatient(PATIENT, "Art. 17"), AS_CLINICIAN)
                .expectEvents(new PatientErased(PATIENT, ERASURE, NOW, "Art. 17"))
                .expectResultMessagePayload(ERASURE);
    }

    @Test
    void a_second_erasure_is_refused_and_records_nothing() {
        fixture.givenCommands(register(), new ErasePatient(PATIENT, "first"))
                .when(new ErasePatient(PATIENT, "second"), AS_CLINICIAN)
                .expectException(refused(ALREADY_ERASED, null))
                .expectNoEvents();
    }

    @Test
    void an_erasure_needs_a_reason() {
        fixture.givenCommands(register())
                .when(new ErasePatient(PATIENT, " "), AS_CLINICIAN)
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }

    @Test
    void an_erased_patient_takes_no_new_entries_nor_corrections() {
        fixture.givenCommands(register(), new ReportCycleFactor(PATIENT, "cf", new CycleFactorDetails(at("2025-02-01"),
                        CycleFactor.STRESS, null)), new ErasePatient(PATIENT, "gone"))
                .when(new ReportCycleFactor(PATIENT, "cf2", new CycleFactorDetails(at("2025-03-01"), CycleFactor.STRESS, null)))
                .expectException(refused(PATIENT_ERASED, null))
                .expectNoEvents();
        fixture.givenCommands(register(), new ReportCycleFactor(PATIENT, "cf", new CycleFactorDetails(at("2025-02-01"),
                        CycleFactor.STRESS, null)), new ErasePatient(PATIENT, "gone"))
                .when(new VoidEntry(PATIENT, "v", "cf", "wrong patient"))
                .expectException(refused(PATIENT_ERASED, null))
                .expectNoEvents();
    }

    @Test
    void the_erased_state_survives_a_snapshot() {
        Patient patient = Patient.restore(new PatientState(PATIENT, REGISTERED, null, new java.util.HashMap<>(),
                new java.util.HashSet<>(), new org.treatmentledger.core.rules.timeline.Timeline()));
        patient.state().entries().put(ERASURE, EntryRef.of(org.treatmentledger.core.api.EntryType.ERASURE));
        Patient restored = PatientSnapshot.of(patient).toPatient();
        assertThat(restored.state().entries()).containsKey(ERASURE);
        assertThat(restored.state().entries().get(ERASURE).type()).isEqualTo(org.treatmentledger.core.api.EntryType.ERASURE);
    }
}
