package org.treatmentledger.api.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes access records with group commit: one writer thread takes every record waiting and inserts them in one
 * transaction (synchronous commit), so concurrent requests share one WAL flush; each request waits until its record
 * is durable before its response is sent ({@link #append}).
 */
class AccessLogWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    static final String INSERT = "INSERT INTO access_log (at, user_name, role, clinic_id, caller_clinics, patient_id, "
            + "action, resource, status, purpose) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private record Pending(AccessRecord record, CompletableFuture<Void> durable) { }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean running = true;

    AccessLogWriter(JdbcTemplate jdbc, PlatformTransactionManager transactions, int maxBatch) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.maxBatch = maxBatch;
        this.writer = new Thread(this::run, "ledger-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Returns once the record is committed; throws if it could not be within {@code wait}. */
    void append(AccessRecord record, Duration wait) {
        if (!running) throw new IllegalStateException("the access log is closed");
        Pending pending = new Pending(record, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.durable().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("access record not written", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("access record not written within " + wait, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the access record", e);
        }
    }

    /**
     * Queues the record without waiting: for an answer that disclosed and changed nothing because the database
     * could not be reached (503), whose record could not be written in time either; written if it comes back soon.
     */
    void offer(AccessRecord record) {
        if (running) queue.add(new Pending(record, new CompletableFuture<>()));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
                batch.forEach(p -> p.durable().complete(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(p -> p.durable().completeExceptionally(e));
                return;
            } catch (RuntimeException e) {
                log.warn("{} access records not written: {}", batch.size(), e.toString());
                batch.forEach(p -> p.durable().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        transactions.executeWithoutResult(status -> jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, pending) -> {
            AccessRecord r = pending.record();
            ps.setTimestamp(1, Timestamp.from(r.at()));
            ps.setString(2, r.user());
            ps.setString(3, r.role());
            ps.setString(4, r.clinic());
            ps.setArray(5, ps.getConnection().createArrayOf("text", r.callerClinics().toArray()));
            ps.setString(6, r.patientId());
            ps.setString(7, r.action().name());
            ps.setString(8, r.resource());
            ps.setInt(9, r.status());
            ps.setString(10, r.purpose().name());
        }));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        writer.join(5_000);
    }
}
