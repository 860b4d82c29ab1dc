package org.treatmentledger.projections.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds the read models from the JDBC event store set-wise instead of event by event. An event-by-event
 * replay goes through Axon's processor (fetch, deserialise, one handler call per read model, serialise again)
 * and reached about 8,000 events/s; the read side's rows are a copy of the events plus rows derived per
 * patient, so both can be built in bulk, each part in a class of its own:
 * <ol>
 *   <li>the event copy ({@code ledger_event}) through a staging table ({@link StagingCopy});</li>
 *   <li>the derived rows (durability, lots) per page of patients, by the read models' own derivations
 *       ({@link PagedDerivation}; the events decoded by {@link StoredEvent}, their metadata read by
 *       {@link RecordedByMetadata});</li>
 *   <li>the processor's token at the head the copy reached, with the gaps of its last positions ({@link HeadToken}).</li>
 * </ol>
 * Both run at once on {@link RebuildWorkers}; every statement on Axon's event table is {@link AxonEventTable}'s.
 * It runs after the processor's tokens were reset (the reset handlers emptied the tables), with the processor
 * shut down on every node. If it fails, the tokens are reset again and the processor replays event by event: a
 * slower rebuild, never a wrong one.
 *
 * <p>The copy does not deserialise payloads. Every event the derived rows need is decoded (one this version cannot
 * read fails the bulk rebuild, and the replay dead-letters it); an unreadable event of a type only the history
 * needs is copied as it is, where the replay would dead-letter it. Such an event cannot come from this service's
 * own writes (the Patient aggregate could not be loaded either); it would take a foreign or damaged row.
 */
public class BulkRebuild {

    private static final Logger log = LoggerFactory.getLogger(BulkRebuild.class);

    /** Where a running bulk rebuild stands: {@code stage} BULK_COPY, and how far the slower of its two parts has come. */
    public record Status(String processor, String stage, double percent) { }

    /** Global indexes copied and patients derived so far, against their totals. */
    private static final class Progress {
        final String processor;
        final long indexes;
        final long patients;
        final AtomicLong copied = new AtomicLong();
        final AtomicLong derived = new AtomicLong();

        Progress(String processor, long indexes, long patients) {
            this.processor = processor;
            this.indexes = indexes;
            this.patients = patients;
        }

        Status status() {
            double copy = indexes <= 0 ? 100.0 : 100.0 * copied.get() / indexes;
            double derive = patients <= 0 ? 100.0 : 100.0 * derived.get() / patients;
            return new Status(processor, "BULK_COPY", Math.floor(10.0 * Math.min(100.0, Math.min(copy, derive))) / 10.0);
        }
    }

    private final RebuildTransactions transactions;
    private final AxonEventTable events;
    private final StagingCopy staging;
    private final PagedDerivation derivation;
    private final HeadToken headToken;
    private final int indexesPerTransaction;
    private final int copyWorkers;
    private final int deriveWorkers;
    private volatile Progress progress;

    /**
     * @param eventTable            the JDBC event store's table (Axon's default schema)
     * @param maxGapOffset          the event storage engine's maxGapOffset
     * @param indexesPerTransaction global indexes copied per transaction (keeps each one short)
     * @param eventsPerPage         events read per query for the derived rows (their patients' rows are written
     *                              per transaction)
     * @param copyWorkers           connections copying ranges at the same time (PostgreSQL runs each on one core)
     * @param deriveWorkers         connections deriving rows at the same time, each for a range of patients
     * @param codec                 how stored payloads are read (personal fields decrypted, or null once erased)
     */
    public BulkRebuild(JdbcTemplate jdbc, PlatformTransactionManager transactions, TransactionManager tokenTransactions,
                       TokenStore tokens, List<DerivedRowsProjection<?>> derived, String eventTable, int maxGapOffset,
                       int indexesPerTransaction, int eventsPerPage, int copyWorkers, int deriveWorkers,
                       EventCodec codec) {
        this.transactions = new RebuildTransactions(jdbc, transactions);
        this.events = new AxonEventTable(jdbc, eventTable);
        this.staging = new StagingCopy(jdbc, this.transactions, events, indexesPerTransaction);
        this.derivation = new PagedDerivation(this.transactions, events, derived, eventsPerPage, codec);
        this.headToken = new HeadToken(tokenTransactions, tokens, maxGapOffset);
        this.indexesPerTransaction = indexesPerTransaction;
        this.copyWorkers = copyWorkers;
        this.deriveWorkers = deriveWorkers;
    }

    /** The running bulk rebuild, if any. */
    public Optional<Status> status() {
        Progress p = progress;
        return p == null ? Optional.empty() : Optional.of(p.status());
    }

    /**
     * Fills the emptied read models from the event store and stores the position they then hold as the token
     * of every segment of {@code processor} (claims released). Returns that token, or null when the store is empty
     * (the reset tokens then stay). Call only with the processor shut down on every node, after its reset.
     */
    public synchronized TrackingToken run(String processor) {
        long started = System.nanoTime();
        String target = StagingCopy.TABLE;
        try (RebuildWorkers workers = new RebuildWorkers(copyWorkers + deriveWorkers)) {
            Long head = events.head();
            if (head == null) return null;
            target = staging.prepareTarget();
            String into = target;
            Long first = events.first();
            long windowStart = headToken.windowStart(first, head);
            Long patientsInStore = events.countOfType(PatientRegistered.class.getName());
            Progress progress = new Progress(processor, windowStart - first, patientsInStore == null ? 0 : patientsInStore);
            this.progress = progress;
            // The derived rows are read from the event store itself, so they need not wait for the copy. Each worker
            // takes a range of patients (split at patient-id quantiles), for machines with cores to spare.
            AtomicLong derivedAt = new AtomicLong();
            List<String> bounds = derivation.patientBounds(deriveWorkers);
            List<Future<Long>> derivations = new ArrayList<>();
            for (int r = 0; r <= bounds.size(); r++) {
                String from = r == 0 ? "" : bounds.get(r - 1);
                String to = r == bounds.size() ? null : bounds.get(r);
                derivations.add(workers.submit(() -> {
                    long n = derivation.deriveRows(from, to, progress.derived);
                    derivedAt.accumulateAndGet(System.nanoTime(), Math::max);
                    return n;
                }));
            }
            List<Future<Long>> copies = new ArrayList<>();
            for (int w = 0; w < copyWorkers; w++) {
                long offset = first + (long) w * indexesPerTransaction;
                copies.add(workers.submit(() -> staging.copyRanges(into, offset, windowStart,
                        (long) copyWorkers * indexesPerTransaction, progress.copied)));
            }
            long copied = 0;
            for (Future<Long> copy : copies) copied += RebuildWorkers.await(copy);
            // The last maxGapOffset positions in one snapshot: what it copies and what it finds missing agree.
            List<Long> missing = new ArrayList<>();
            Integer n = transactions.inOneSnapshot(() -> {
                int c = staging.copy(into, windowStart, head);
                missing.addAll(events.missingIndexes(windowStart, head));
                return c;
            });
            copied += n == null ? 0 : n;
            staging.finish(target);
            double copySeconds = (System.nanoTime() - started) / 1e9;
            long patients = 0;
            for (Future<Long> derivation : derivations) patients += RebuildWorkers.await(derivation);
            TrackingToken token = headToken.store(processor, head, missing);
            log.info("Bulk rebuild of {}: {} events copied in {} s; rows derived for {} patients in {} s; {} s in all; "
                            + "token at {} with {} gap(s)", processor, copied, String.format("%.1f", copySeconds), patients,
                    String.format("%.1f", (derivedAt.get() - started) / 1e9),
                    String.format("%.1f", (System.nanoTime() - started) / 1e9), head, missing.size());
            return token;
        } finally {
            progress = null;
            staging.dropLeftover(target);
        }
    }

    /**
     * Whether {@code ledger_event} has exactly the indexes the staging copy rebuilds (its primary key); see
     * {@link StagingCopy#possible}.
     */
    public boolean stagingPossible() {
        return staging.possible();
    }
}
