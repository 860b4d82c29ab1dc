package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import org.treatmentledger.core.patient.Patient;

/** Jackson writes and reads a {@link Patient} as its {@link PatientSnapshot}: the one place that maps the aggregate. */
public final class PatientSnapshotModule extends SimpleModule {

    public PatientSnapshotModule() {
        super("patient-snapshot");
        addSerializer(Patient.class, toSnapshot());
        addDeserializer(Patient.class, new StdDelegatingDeserializer<>(new StdConverter<PatientSnapshot, Patient>() {
            @Override
            public Patient convert(PatientSnapshot snapshot) { return snapshot.toPatient(); }
        }));
    }

    @SuppressWarnings("unchecked")
    private static JsonSerializer<Patient> toSnapshot() {
        return (JsonSerializer<Patient>) (JsonSerializer<?>) new StdDelegatingSerializer(new StdConverter<Patient, PatientSnapshot>() {
            @Override
            public PatientSnapshot convert(Patient patient) { return PatientSnapshot.of(patient); }
        });
    }
}
