package org.treatmentledger.api.clinics;

import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * The service's transaction manager: Spring's JDBC one, plus, for a read-only transaction begun inside
 * {@link ClinicScope#read}, {@code SET LOCAL ROLE ledger_reader} and {@code ledger.clinics} = the caller's clinics
 * (both end with the transaction, so the pooled connection goes back unchanged). Other transactions are untouched:
 * the event store's look-ups of the same request (read-your-writes asks it for the patient's last sequence number)
 * run as the service.
 */
class ClinicScopedTransactionManager extends JdbcTransactionManager {

    ClinicScopedTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition) throws SQLException {
        super.prepareTransactionalConnection(con, definition);
        Set<String> clinics = ClinicScope.current();
        if (clinics == null || !definition.isReadOnly()) return;
        try (PreparedStatement scope = con.prepareStatement(
                "SELECT set_config('" + RowLevelSecurity.CLINICS_SETTING + "', ?, true), set_config('role', ?, true)")) {
            scope.setString(1, String.join(",", clinics));
            scope.setString(2, RowLevelSecurity.READER_ROLE);
            scope.execute();
        }
    }
}
