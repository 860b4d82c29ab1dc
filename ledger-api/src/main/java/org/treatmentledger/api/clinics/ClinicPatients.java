package org.treatmentledger.api.clinics;

import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Set;

/**
 * The patients of some clinics, from {@code patient_clinic} (V28): one indexed read instead of every registration
 * filtered in memory. Run it inside {@link ClinicScope#readOnly}, so row-level security narrows it to the caller's
 * clinics as well.
 */
public class ClinicPatients {

    private final JdbcTemplate jdbc;

    public ClinicPatients(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The patients of these clinics, in id order. */
    public List<String> of(Set<String> clinics) {
        if (clinics.isEmpty()) return List.of();
        return jdbc.queryForList("SELECT patient_id FROM patient_clinic WHERE clinic_id = ANY (?) ORDER BY patient_id",
                String.class, (Object) clinics.toArray(String[]::new));
    }
}
