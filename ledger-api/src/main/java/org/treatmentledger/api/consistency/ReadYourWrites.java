package org.treatmentledger.api.consistency;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.store.PatientEventTable;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A patient read that starts after a write to that patient was acknowledged reflects the write, on any node.
 * The event store says how far the patient's stream goes; the read is answered only from read models that hold
 * the stream that far ({@link PatientEventTable#holdsStreamUpTo}: every read model of a patient commits with
 * its rows there). Both checks and the query run in one REPEATABLE READ snapshot, so a reset between them (a
 * rebuild) cannot slip an empty answer through. If the read models do not get there within the wait, the read
 * answers 503 READ_MODEL_BEHIND; it never answers without the write.
 */
public class ReadYourWrites {

    /** Re-checks this often even without a signal (a signal from another node may be late). */
    private static final long RECHECK_NANOS = Duration.ofMillis(50).toNanos();

    private final EventStore eventStore;
    private final PatientEventTable readModelEvents;
    private final CommitSignals signals;
    private final TransactionTemplate snapshot;
    private final Duration wait;

    public ReadYourWrites(EventStore eventStore, PatientEventTable readModelEvents, CommitSignals signals,
                          PlatformTransactionManager transactions, Duration wait) {
        this.eventStore = eventStore;
        this.readModelEvents = readModelEvents;
        this.signals = signals;
        this.wait = wait;
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /**
     * The view as of a read model that holds every event the event store had for the patient when this call
     * started; empty if the event store has no such patient (or the view is empty once caught up, e.g. a history
     * as of an instant before the registration).
     *
     * @throws ReadModelBehindException when the read models do not catch up within the wait
     */
    public <V> Optional<V> read(PatientId patient, Supplier<Optional<V>> query) {
        Optional<Long> last = eventStore.lastSequenceNumberFor(patient.value());
        if (last.isEmpty()) return Optional.empty();
        long target = last.get();
        long deadline = System.nanoTime() + wait.toNanos();
        boolean woken = false;
        while (true) {
            long seen = signals.readModelCommits();
            Optional<Optional<V>> answer = snapshot.execute(status ->
                    readModelEvents.holdsStreamUpTo(patient.value(), target) ? Optional.of(query.get()) : Optional.empty());
            if (answer.isPresent()) return answer.get();
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new ReadModelBehindException(patient.value());
            if (!woken) {
                signals.readerWaiting();
                woken = true;
            }
            try {
                signals.awaitReadModelCommit(seen, Math.min(left, RECHECK_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReadModelBehindException(patient.value());
            }
        }
    }

    /**
     * Waits until the read models hold the patient's stream up to {@code sequenceNumber}; false if they do not
     * within {@code maxWait}. For callers that know the position they wrote (the benchmark's write-to-visible
     * latency, tests).
     */
    public boolean awaitVisible(PatientId patient, long sequenceNumber, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean woken = false;
        while (true) {
            long seen = signals.readModelCommits();
            if (readModelEvents.holdsStreamUpTo(patient.value(), sequenceNumber)) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            if (!woken) {
                signals.readerWaiting();
                woken = true;
            }
            signals.awaitReadModelCommit(seen, Math.min(left, RECHECK_NANOS));
        }
    }
}
