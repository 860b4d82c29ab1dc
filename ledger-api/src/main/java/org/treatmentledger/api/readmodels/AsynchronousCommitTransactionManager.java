package org.treatmentledger.api.readmodels;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.consistency.CommitSignals;

/**
 * The read models' transactions: like the service's, but committed with {@code synchronous_commit = off}, so a
 * processor batch does not wait for its WAL flush. Safe because read models and their tokens commit together:
 * a crash of PostgreSQL can lose only the last few hundred milliseconds of processor commits, all of them
 * (rows and token), and the events are then processed again from the older token. Commands and the event
 * store keep fully synchronous commits: an acknowledged command is never at risk. It also keeps six read
 * models from queueing their WAL flushes behind the commands' on a small machine.
 *
 * <p>The processor writes every clinic's rows: {@code ledger.clinics = '*'} lets it past the read models' row-level
 * security (migration V28, api.clinics.RowLevelSecurity); no other transaction sets it.
 *
 * <p>Each commit is also signalled, so reads waiting to see a write look again at once: on this node at once, on
 * the other nodes through the announcer's NOTIFY after the commit ({@link CommitSignals#localReadModelsCommitted}).
 */
final class AsynchronousCommitTransactionManager implements TransactionManager {

    private final TransactionManager delegate;
    private final JdbcTemplate jdbc;
    private final CommitSignals signals;

    AsynchronousCommitTransactionManager(TransactionManager delegate, JdbcTemplate jdbc, CommitSignals signals) {
        this.delegate = delegate;
        this.jdbc = jdbc;
        this.signals = signals;
    }

    @Override
    public Transaction startTransaction() {
        Transaction transaction = delegate.startTransaction();
        try {
            // SET LOCAL: this transaction only; the pooled connection goes back to the pool unchanged.
            jdbc.execute("SET LOCAL synchronous_commit = off; SET LOCAL ledger.clinics = '*'");
        } catch (RuntimeException e) {
            transaction.rollback();
            throw e;
        }
        return new Transaction() {
            @Override
            public void commit() {
                transaction.commit();
                signals.localReadModelsCommitted();
            }

            @Override
            public void rollback() {
                transaction.rollback();
            }
        };
    }
}
