package org.treatmentledger.api.clinics;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerNodes;
import org.treatmentledger.api.LedgerTestSupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service run as production runs it (docs/OPERATIONS.md, "Clinics and the database role"): the schema owned and
 * migrated by ledger_owner, the service connected as ledger_service, which neither owns the tables nor has
 * BYPASSRLS. The start-up check passes with ledger.clinics.require-restricted-role=true, the clinic boundary holds
 * over HTTP, and the service's own role reads nothing of a protected table without the clinic setting and only its
 * clinic's rows with it. Connected as the owner, or as a role with BYPASSRLS, the same start is refused; without
 * the requirement it starts with the WARN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class RestrictedDatabaseRoleTest {

    private EmbeddedPostgres postgres;
    private String url;

    @BeforeAll
    void database() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection admin = postgres.getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE ledger_reader NOLOGIN NOSUPERUSER NOBYPASSRLS");
            // The owner may take the reader role too, so that a start as the owner reaches the ownership check.
            s.execute("CREATE ROLE ledger_owner LOGIN PASSWORD 'owner' IN ROLE ledger_reader");
            s.execute("CREATE ROLE ledger_service LOGIN PASSWORD 'service' NOSUPERUSER NOBYPASSRLS IN ROLE ledger_reader");
            s.execute("CREATE ROLE ledger_bypass LOGIN PASSWORD 'bypass' NOSUPERUSER BYPASSRLS IN ROLE ledger_reader");
            s.execute("CREATE DATABASE ledger OWNER ledger_owner");
        }
        // Without user in the URL: it would override the user each connection and node names.
        url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/ledger";
        try (Connection owner = DriverManager.getConnection(url, "ledger_owner", "owner"); Statement s = owner.createStatement()) {
            // What docs/OPERATIONS.md grants after each migration, given in advance for the tables Flyway creates.
            s.execute("GRANT USAGE ON SCHEMA public TO ledger_service, ledger_bypass");
            s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE "
                    + "ON TABLES TO ledger_service, ledger_bypass");
            s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ledger_service, ledger_bypass");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (postgres != null) postgres.close();
    }

    private ConfigurableApplicationContext start(String node, String user, String password, boolean require) {
        return LedgerNodes.start(url, node, "--spring.datasource.username=" + user,
                "--spring.datasource.password=" + password, "--spring.flyway.user=ledger_owner",
                "--spring.flyway.password=owner", "--ledger.clinics.require-restricted-role=" + require);
    }

    @Test
    void theServiceAsARestrictedRoleStartsAndRowLevelSecurityHolds(CapturedOutput output) throws Exception {
        String p1;
        String p2;
        try (ConfigurableApplicationContext node = start("restricted", "ledger_service", "service", true)) {
            Http http = new Http(LedgerNodes.port(node));
            p1 = patientWithRowsEverywhere(http, "injector", "clinic-1");
            p2 = patientWithRowsEverywhere(http, "clinician2", "clinic-2");
            // Reads wait for the read models, so both patients' rows are there after these answers.
            assertThat(http.get("clinician", "/api/patients/" + p1 + "/history").status()).isEqualTo(200);
            assertThat(http.get("clinician2", "/api/patients/" + p2 + "/history").status()).isEqualTo(200);
            LedgerTestSupport.assertProblem(http.get("clinician2", "/api/patients/" + p1 + "/history"), 404);
            assertThat(http.get("auditor", "/api/patients/" + p1 + "/access-log").json().get("entries").size())
                    .isGreaterThanOrEqualTo(4);
            assertThat(http.get("auditor", "/api/lots/LOT-A1/patients").raw()).contains(p1).doesNotContain(p2);
        }
        assertThat(output.getOut()).doesNotContain("which bypasses row-level security")
                .doesNotContain("which owns the read-model tables");

        try (Connection service = DriverManager.getConnection(url, "ledger_service", "service")) {
            for (String table : RowLevelSecurity.PROTECTED_TABLES) {
                assertThat(count(service, table, null, null)).as(table + " without ledger.clinics").isZero();
                assertThat(count(service, table, "clinic-1", p1)).as(table + ": clinic-1's own patient").isPositive();
                assertThat(count(service, table, "clinic-1", p2)).as(table + ": clinic-2's patient as clinic-1").isZero();
                assertThat(count(service, table, "clinic-2", p1)).as(table + ": clinic-1's patient as clinic-2").isZero();
            }
            // The table owner's view, for contrast: the rows are there.
            try (Connection owner = DriverManager.getConnection(url, "ledger_owner", "owner")) {
                assertThat(count(owner, "ledger_event", "*", p2)).isPositive();
            }
            assertThatThrownBy(() -> service.createStatement().execute("UPDATE access_log SET status = 200"))
                    .hasMessageContaining("only grows");
        }
    }

    @Test
    void theOwnerOrABypassingRoleIsRefusedWhenRequiredAndWarnedOtherwise(CapturedOutput output) {
        // The schema exists once any node migrated it; start one that owns it with the requirement off: a WARN.
        try (ConfigurableApplicationContext node = start("owner-warned", "ledger_owner", "owner", false)) {
            assertThat(node.isActive()).isTrue();
        }
        assertThat(output.getOut()).contains("The service connects to PostgreSQL as ledger_owner, which owns the "
                + "read-model tables");

        assertThatThrownBy(() -> start("owner-refused", "ledger_owner", "owner", true)).rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ledger_owner, which owns the read-model tables");
        assertThatThrownBy(() -> start("bypass-refused", "ledger_bypass", "bypass", true)).rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ledger_bypass, which bypasses row-level security");
    }

    /** A patient with rows in every protected table: two injections make a durability cycle and lot rows. */
    private static String patientWithRowsEverywhere(Http http, String user, String clinic) {
        Http.Response r = http.post(user, "/api/patients", "{\"clinicId\":\"%s\",\"sex\":\"FEMALE\",\"registeredAt\":\"%s\"}"
                .formatted(clinic, LedgerTestSupport.daysAgo(300)));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        String patient = r.text("patientId");
        for (int days : new int[]{250, 100}) {
            Http.Response i = http.post(user, "/api/patients/" + patient + "/injections",
                    LedgerTestSupport.glabella20(LedgerTestSupport.daysAgo(days)));
            assertThat(i.status()).as(i.raw()).isEqualTo(201);
        }
        return patient;
    }

    /** Rows of the table about one patient (or all, patient null) in a transaction with these clinics (null: unset). */
    private static long count(Connection con, String table, String clinics, String patient) throws SQLException {
        con.setAutoCommit(false);
        try (Statement s = con.createStatement()) {
            if (clinics != null) s.execute("SET LOCAL ledger.clinics = '" + clinics + "'");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table
                    + (patient == null ? "" : " WHERE patient_id = '" + patient + "'"))) {
                rs.next();
                return rs.getLong(1);
            }
        } finally {
            con.rollback();
            con.setAutoCommit(true);
        }
    }
}
