package org.treatmentledger.api.clinics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;

/**
 * Row-level security on the read models (migration V28, docs/OPERATIONS.md "Clinics and the database role"): the
 * tables it protects, the settings it reads, and the check at start-up.
 *
 * <p>At start-up it (re)applies the policies where it can ({@code ledger_protect_read_models()}, idempotent; a bulk
 * rebuild swaps in a new {@code ledger_event} table without them), refuses to start when a protected table is
 * without forced row-level security or when the service may not take the reader role, and logs a WARN when the
 * service's own role bypasses row-level security (superuser, BYPASSRLS) or owns the tables, as on the embedded
 * default; with {@code ledger.clinics.require-restricted-role=true} that refuses the start instead.
 */
public class RowLevelSecurity {

    /** The read models' tables and the read side's copy of the events, and the patients' clinics. */
    public static final List<String> PROTECTED_TABLES =
            List.of("ledger_event", "durability_cycle", "lot_administration", "patient_clinic");
    /** The transaction setting that names the visible clinics (comma-separated), or {@link #ALL_CLINICS}. */
    public static final String CLINICS_SETTING = "ledger.clinics";
    /** Every clinic: set only by the read models' processor for its writes. */
    public static final String ALL_CLINICS = "*";
    /** The role patient reads, lot look-ups and analytics run as: no owner, no BYPASSRLS, SELECT only. */
    public static final String READER_ROLE = "ledger_reader";

    private static final Logger log = LoggerFactory.getLogger(RowLevelSecurity.class);

    private final JdbcTemplate jdbc;

    public RowLevelSecurity(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Applies the policies again (after a bulk rebuild swapped a table in); false if this role may not. */
    public boolean protect() {
        try {
            jdbc.execute("SELECT ledger_protect_read_models()");
            return true;
        } catch (RuntimeException e) {
            log.debug("ledger_protect_read_models() not run by this role: {}", e.toString());
            return false;
        }
    }

    void checkAtStart(boolean requireRestrictedRole) {
        protect();
        for (String table : PROTECTED_TABLES) {
            Map<String, Object> flags = jdbc.queryForMap("SELECT c.relrowsecurity, c.relforcerowsecurity, "
                    + "pg_get_userbyid(c.relowner) AS owner FROM pg_class c WHERE c.oid = to_regclass(?)", table);
            if (!Boolean.TRUE.equals(flags.get("relrowsecurity")) || !Boolean.TRUE.equals(flags.get("relforcerowsecurity"))) {
                throw new IllegalStateException("Table " + table + " has no forced row-level security; run "
                        + "SELECT ledger_protect_read_models() as the tables' owner (docs/OPERATIONS.md)");
            }
        }
        Boolean reader = jdbc.queryForObject("SELECT pg_has_role(current_user, ?, 'MEMBER')", Boolean.class, READER_ROLE);
        if (!Boolean.TRUE.equals(reader)) {
            throw new IllegalStateException("The database role " + jdbc.queryForObject("SELECT current_user", String.class)
                    + " may not SET ROLE " + READER_ROLE + ": GRANT " + READER_ROLE + " TO it (docs/OPERATIONS.md)");
        }
        Map<String, Object> role = jdbc.queryForMap("SELECT r.rolname, r.rolsuper, r.rolbypassrls, "
                + "EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = to_regclass('ledger_event') AND c.relowner = r.oid) AS owner "
                + "FROM pg_roles r WHERE r.rolname = current_user");
        boolean bypasses = Boolean.TRUE.equals(role.get("rolsuper")) || Boolean.TRUE.equals(role.get("rolbypassrls"));
        boolean owns = Boolean.TRUE.equals(role.get("owner"));
        if (bypasses || owns) {
            String message = "The service connects to PostgreSQL as " + role.get("rolname") + ", which "
                    + (bypasses ? "bypasses row-level security" : "owns the read-model tables")
                    + ": patient reads, lot look-ups and analytics still run as " + READER_ROLE + " with the caller's "
                    + "clinics, but any other query of this role sees every clinic. In production connect as a role "
                    + "that neither owns the tables nor has BYPASSRLS (docs/OPERATIONS.md, clinics and the database role).";
            if (requireRestrictedRole) throw new IllegalStateException(message);
            log.warn(message);
        }
    }
}
