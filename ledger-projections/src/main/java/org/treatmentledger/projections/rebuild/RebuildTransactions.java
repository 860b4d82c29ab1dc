package org.treatmentledger.projections.rebuild;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.function.Supplier;

/** The bulk rebuild's transactions: short ones with relaxed commits for its rows, one snapshot for the head. */
final class RebuildTransactions {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate snapshot;

    RebuildTransactions(JdbcTemplate jdbc, PlatformTransactionManager manager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(manager);
        this.snapshot = new TransactionTemplate(manager);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** {@code work} in a transaction of its own. */
    void run(Runnable work) {
        transactions.executeWithoutResult(tx -> work.run());
    }

    /**
     * {@code work} in a transaction of its own whose commit does not wait for the WAL flush. Rows written before the
     * token are worthless without it: if the database crashes before the token is stored, the reset token replays
     * everything. The token's commit is synchronous and flushes the WAL of every earlier commit with it, so nothing
     * durable depends on these commits being synchronous.
     */
    <T> T relaxed(Supplier<T> work) {
        return transactions.execute(tx -> {
            jdbc.execute("SET LOCAL synchronous_commit = off");
            return work.get();
        });
    }

    /** {@code work} in one REPEATABLE READ transaction: every query in it sees the same snapshot. */
    <T> T inOneSnapshot(Supplier<T> work) {
        return snapshot.execute(tx -> work.get());
    }
}
