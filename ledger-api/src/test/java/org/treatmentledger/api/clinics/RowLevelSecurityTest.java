package org.treatmentledger.api.clinics;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Row-level security as the second line: a connection that did not set the clinics reads no row of any protected
 * table; with a clinic set it reads exactly that clinic's rows; every protected table forces it (owner included).
 * The test's own connection is the embedded default's superuser, which bypasses RLS; the probes switch to roles
 * that do not.
 */
class RowLevelSecurityTest extends LedgerTestSupport {

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void aQueryWithoutTheClinicsSeesNoRows() {
        String p1 = patientWithRowsEverywhere("injector", "clinic-1");
        String p2 = patientWithRowsEverywhere("clinician2", "clinic-2");
        jdbc.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rls_probe') THEN "
                + "CREATE ROLE rls_probe NOLOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
        // The policies look the clinic up in patient_clinic: the probe may read every protected table.
        RowLevelSecurity.PROTECTED_TABLES.forEach(table -> jdbc.execute("GRANT SELECT ON " + table + " TO rls_probe"));
        for (String table : RowLevelSecurity.PROTECTED_TABLES) {
            assertThat(count(table, null, null)).as(table + " as the superuser").isGreaterThan(0);
            for (String role : new String[]{"rls_probe", RowLevelSecurity.READER_ROLE}) {
                assertThat(count(table, role, null)).as(table + " as " + role + " without ledger.clinics").isZero();
                assertThat(count(table, role, "")).as(table + " as " + role + " with no clinic").isZero();
            }
            for (Map.Entry<String, String> own : Map.of("clinic-1", p1, "clinic-2", p2).entrySet()) {
                String clinic = own.getKey();
                long expected = jdbc.queryForObject("SELECT count(*) FROM " + table + " t WHERE EXISTS (SELECT 1 FROM "
                        + "patient_clinic pc WHERE pc.patient_id = t.patient_id AND pc.clinic_id = ?)", Long.class, clinic);
                assertThat(count(table, RowLevelSecurity.READER_ROLE, clinic)).as(table + " as " + clinic)
                        .isEqualTo(expected).isGreaterThan(0);
                String otherPatient = clinic.equals("clinic-1") ? p2 : p1;
                assertThat(countOf(table, clinic, otherPatient)).as(table + ": " + clinic + " reads no row of the other clinic")
                        .isZero();
            }
            Map<String, Object> flags = jdbc.queryForMap("SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                    + "WHERE oid = to_regclass(?)", table);
            assertThat(flags).as(table).containsEntry("relrowsecurity", true).containsEntry("relforcerowsecurity", true);
        }
    }

    @Test
    void theReaderRoleWritesNothing() {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> {
            jdbc.execute("SET LOCAL ROLE " + RowLevelSecurity.READER_ROLE);
            jdbc.execute("SET LOCAL ledger.clinics = '*'");
            jdbc.update("DELETE FROM lot_administration");
        })).rootCause().hasMessageContaining("permission denied for table lot_administration");
    }

    private long count(String table, String role, String clinics) {
        return new TransactionTemplate(transactions).execute(s -> {
            if (role != null) jdbc.execute("SET LOCAL ROLE " + role);
            if (clinics != null) jdbc.queryForObject("SELECT set_config('ledger.clinics', ?, true)", String.class, clinics);
            return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
        });
    }

    private long countOf(String table, String clinics, String patient) {
        return new TransactionTemplate(transactions).execute(s -> {
            jdbc.execute("SET LOCAL ROLE " + RowLevelSecurity.READER_ROLE);
            jdbc.queryForObject("SELECT set_config('ledger.clinics', ?, true)", String.class, clinics);
            return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE patient_id = ?", Long.class, patient);
        });
    }

    /** A patient with rows in every read-model table: two cycles (durability), a lot (lot recall), its events. */
    private String patientWithRowsEverywhere(String user, String clinic) {
        Http.Response r = http.post(user, "/api/patients", "{\"clinicId\":\"%s\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}"
                .formatted(clinic, daysAgo(300)));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String patient = r.text("patientId");
        for (int days : new int[]{250, 100}) {
            Http.Response i = http.post(user, "/api/patients/" + patient + "/injections", glabella20(daysAgo(days)));
            assertThat(i.status()).as(i.raw()).isEqualTo(201);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String table : RowLevelSecurity.PROTECTED_TABLES) {
                assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE patient_id = ?", Long.class,
                        patient)).as(table).isGreaterThan(0);
            }
        });
        return patient;
    }

}
