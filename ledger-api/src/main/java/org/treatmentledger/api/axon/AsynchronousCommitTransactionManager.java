package org.treatmentledger.api.axon;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The read models' transactions: like the service's, but committed with {@code synchronous_commit = off}, so a
 * processor batch does not wait for its WAL flush. Safe because read models and their tokens commit together:
 * a crash of PostgreSQL can lose only the last few hundred milliseconds of processor commits, all of them
 * (rows and token), and the events are then processed again from the older token. Commands and the event
 * store keep fully synchronous commits: an acknowledged command is never at risk. It also keeps six read
 * models from queueing their WAL flushes behind the commands' on a small machine.
 */
final class AsynchronousCommitTransactionManager implements TransactionManager {

    private final TransactionManager delegate;
    private final JdbcTemplate jdbc;

    AsynchronousCommitTransactionManager(TransactionManager delegate, JdbcTemplate jdbc) {
        this.delegate = delegate;
        this.jdbc = jdbc;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = delegate.startTransaction();
        try {
            // SET LOCAL: this transaction only; the pooled connection goes back to the pool unchanged.
            jdbc.execute("SET LOCAL synchronous_commit = off");
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        return transaction;
    }
}
