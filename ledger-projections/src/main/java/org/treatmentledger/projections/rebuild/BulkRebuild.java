package org.treatmentledger.projections.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.serialization.IsoInstant;
import org.treatmentledger.core.serialization.LedgerJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rebuilds the read models from the JDBC event store set-wise instead of event by event. An event-by-event
 * replay goes through Axon's processor (fetch, deserialise, one handler call per read model, serialise again)
 * and reached about 8,000 events/s; the read side's rows are a copy of the events plus rows derived per
 * patient, so both can be built in bulk:
 * <ol>
 *   <li>the event copy ({@code ledger_event}) with {@code INSERT ... SELECT} from the event table, one short
 *       transaction per range of global indexes, inside PostgreSQL, payload bytes as stored (the read side keeps
 *       the stored JSON: the same dedicated mapper writes both, and there are no upcasters). The copy goes to a
 *       table without its primary key ({@value #STAGING}), which gets the key once it is full and then replaces
 *       {@code ledger_event} in one transaction: the key is on random patient ids, and maintaining it row by row
 *       made the copy several times slower than building it once;</li>
 *   <li>the derived rows (durability, lots) per page of patients, by the read models' own derivations;</li>
 *   <li>the processor's token: every segment at the head the copy reached, with the global indexes it did not
 *       see in the last {@code maxGapOffset} positions as gaps, exactly as Axon's own gap-aware token would
 *       hold them. An event committed later at one of those positions is then handled by the processor as
 *       usual (the handlers are idempotent), and so is every event appended after the head.</li>
 * </ol>
 * It runs after the processor's tokens were reset (the reset handlers emptied the tables), with the processor
 * shut down on every node. If it fails, the tokens are reset again and the processor replays event by event: a
 * slower rebuild, never a wrong one. Events older than the last {@code maxGapOffset} positions are assumed
 * committed, the same assumption Axon's token makes.
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

    private static final ObjectMapper JSON = LedgerJson.objectMapper();
    static final String TABLE = "ledger_event";
    static final String STAGING = "ledger_event_rebuild";
    private static final String[] CLASS_NAMES = EventCodec.storedClassNames().toArray(String[]::new);
    private static final String[] SIMPLE_NAMES = EventCodec.storedClassNames().stream()
            .map(c -> c.substring(c.lastIndexOf('.') + 1)).toArray(String[]::new);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate snapshotTransaction;
    private final TransactionManager tokenTransactions;
    private final TokenStore tokens;
    private final List<DerivedRowsProjection<?>> derived;
    private final String eventTable;
    private final int maxGapOffset;
    private final int indexesPerTransaction;
    private final int eventsPerPage;
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
     */
    public BulkRebuild(JdbcTemplate jdbc, PlatformTransactionManager transactions, TransactionManager tokenTransactions,
                       TokenStore tokens, List<DerivedRowsProjection<?>> derived, String eventTable, int maxGapOffset,
                       int indexesPerTransaction, int eventsPerPage, int copyWorkers, int deriveWorkers) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.snapshotTransaction = new TransactionTemplate(transactions);
        this.snapshotTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.tokenTransactions = tokenTransactions;
        this.tokens = tokens;
        this.derived = List.copyOf(derived);
        this.eventTable = eventTable;
        this.maxGapOffset = maxGapOffset;
        this.indexesPerTransaction = indexesPerTransaction;
        this.eventsPerPage = eventsPerPage;
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
        ExecutorService workers = Executors.newFixedThreadPool(copyWorkers + deriveWorkers, r -> {
            Thread t = new Thread(r, "ledger-bulk-rebuild-worker");
            t.setDaemon(true);
            return t;
        });
        String target = TABLE;
        try {
            Long head = jdbc.queryForObject("SELECT max(globalindex) FROM " + eventTable, Long.class);
            if (head == null) return null;
            if (stagingPossible()) {
                target = STAGING;
                jdbc.execute("DROP TABLE IF EXISTS " + STAGING);
                // Not INCLUDING INDEXES: the key is added once the table is full.
                jdbc.execute("CREATE TABLE " + STAGING + " (LIKE " + TABLE
                        + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)");
            } else {
                log.warn("{} has indexes the bulk rebuild does not know: copying into it directly (slower)", TABLE);
            }
            String into = target;
            Long first = jdbc.queryForObject("SELECT min(globalindex) FROM " + eventTable, Long.class);
            long windowStart = Math.max(first, head - maxGapOffset + 1);
            Long patientsInStore = jdbc.queryForObject("SELECT count(*) FROM " + eventTable
                    + " WHERE payloadtype = ?", Long.class, PatientRegistered.class.getName());
            progress = new Progress(processor, windowStart - first, patientsInStore == null ? 0 : patientsInStore);
            // The derived rows are read from the event store itself, so they need not wait for the copy. Each worker
            // takes a range of patients (split at patient-id quantiles), for machines with cores to spare.
            AtomicLong derivedAt = new AtomicLong();
            List<String> bounds = patientBounds(deriveWorkers);
            List<Future<Long>> derivations = new ArrayList<>();
            for (int r = 0; r <= bounds.size(); r++) {
                String from = r == 0 ? "" : bounds.get(r - 1);
                String to = r == bounds.size() ? null : bounds.get(r);
                derivations.add(workers.submit(() -> {
                    long n = deriveRows(from, to);
                    derivedAt.accumulateAndGet(System.nanoTime(), Math::max);
                    return n;
                }));
            }
            List<Future<Long>> copies = new ArrayList<>();
            for (int w = 0; w < copyWorkers; w++) {
                long offset = first + (long) w * indexesPerTransaction;
                copies.add(workers.submit(() -> copyRanges(into, offset, windowStart, (long) copyWorkers * indexesPerTransaction)));
            }
            long copied = 0;
            for (Future<Long> copy : copies) copied += await(copy);
            // The last maxGapOffset positions in one snapshot: what it copies and what it finds missing agree.
            List<Long> missing = new ArrayList<>();
            Integer n = snapshotTransaction.execute(tx -> {
                int c = copy(into, windowStart, head);
                missing.addAll(jdbc.queryForList("SELECT g FROM generate_series(?::bigint, ?::bigint) g WHERE NOT EXISTS "
                        + "(SELECT 1 FROM " + eventTable + " e WHERE e.globalindex = g) ORDER BY g", Long.class, windowStart, head));
                return c;
            });
            copied += n == null ? 0 : n;
            if (target.equals(STAGING)) replaceWithStaging();
            double copySeconds = (System.nanoTime() - started) / 1e9;
            long patients = 0;
            for (Future<Long> derivation : derivations) patients += await(derivation);
            GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(head, new TreeSet<>(missing));
            tokenTransactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(processor)) {
                    tokens.storeToken(token, processor, segment);
                    tokens.releaseClaim(processor, segment);
                }
            });
            log.info("Bulk rebuild of {}: {} events copied in {} s; rows derived for {} patients in {} s; {} s in all; "
                            + "token at {} with {} gap(s)", processor, copied, String.format("%.1f", copySeconds), patients,
                    String.format("%.1f", (derivedAt.get() - started) / 1e9),
                    String.format("%.1f", (System.nanoTime() - started) / 1e9), head, missing.size());
            return token;
        } finally {
            workers.shutdownNow();
            progress = null;
            if (target.equals(STAGING)) jdbc.execute("DROP TABLE IF EXISTS " + STAGING); // gone unless the run failed
        }
    }

    /**
     * Whether {@code ledger_event} has exactly the indexes the staging copy rebuilds (its primary key). A later
     * migration that adds one must teach {@link #replaceWithStaging} about it; until then the copy goes straight
     * into the table, with every index kept up to date row by row.
     */
    public boolean stagingPossible() {
        List<String> indexes = jdbc.queryForList("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                + "AND tablename = ?", String.class, TABLE);
        return indexes.equals(List.of(TABLE + "_pkey"));
    }

    /**
     * Gives the full staging table the primary key (one sort instead of a million random inserts into the index)
     * and swaps it in for {@code ledger_event} in one transaction. The processor is stopped on every node, and
     * queries of the table wait for the swap's lock for that moment only.
     */
    private void replaceWithStaging() {
        transactions.executeWithoutResult(tx -> {
            jdbc.execute("SET LOCAL maintenance_work_mem = '256MB'"); // the sort stays in memory for a few million events
            jdbc.execute("ALTER TABLE " + STAGING + " ADD CONSTRAINT " + STAGING + "_pkey PRIMARY KEY (patient_id, sequence_number)");
        });
        // A new table has no statistics until autovacuum gets to it: without them the history query's plan was
        // twenty times slower right after a rebuild (W4 p50 8 ms instead of 0.4 ms).
        jdbc.execute("ANALYZE " + STAGING);
        transactions.executeWithoutResult(tx -> {
            jdbc.execute("LOCK TABLE " + TABLE + " IN ACCESS EXCLUSIVE MODE");
            jdbc.execute("DROP TABLE " + TABLE);
            jdbc.execute("ALTER TABLE " + STAGING + " RENAME TO " + TABLE);
            jdbc.execute("ALTER TABLE " + TABLE + " RENAME CONSTRAINT " + STAGING + "_pkey TO " + TABLE + "_pkey");
        });
    }

    private static long await(Future<Long> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bulk rebuild interrupted", e);
        }
    }

    /** Copies the ranges [from, from + size) every {@code stride} below {@code end}, one transaction each. */
    private long copyRanges(String target, long from, long end, long stride) {
        long copied = 0;
        for (long lo = from; lo < end; lo += stride) {
            long hi = Math.min(lo + indexesPerTransaction - 1, end - 1);
            long rangeStart = lo;
            Integer n = transactions.execute(tx -> {
                relaxCommit();
                return copy(target, rangeStart, hi);
            });
            copied += n == null ? 0 : n;
            progress.copied.addAndGet(hi - lo + 1);
        }
        return copied;
    }

    /**
     * Copies the patient events of a global index range into {@code target}; returns the rows inserted. The ranges
     * are disjoint, so the staging table (no key yet) gets each event once.
     */
    private int copy(String target, long from, long to) {
        return jdbc.update("INSERT INTO " + target + " (patient_id, sequence_number, event_type, recorded_at, recorded_by, payload) "
                        + "SELECT e.aggregateidentifier, e.sequencenumber, t.simple_name, e.timestamp::timestamptz, "
                        + "convert_from(e.metadata, 'UTF8')::json ->> 'recordedBy', e.payload "
                        + "FROM " + eventTable + " e JOIN unnest(?::text[], ?::text[]) AS t (class_name, simple_name) "
                        + "ON t.class_name = e.payloadtype "
                        + "WHERE e.globalindex BETWEEN ? AND ?"
                        + (target.equals(TABLE) ? " ON CONFLICT (patient_id, sequence_number) DO NOTHING" : ""),
                CLASS_NAMES, SIMPLE_NAMES, from, to);
    }

    /**
     * The derived rows of every patient with events they need, read from the event store in patient order (its
     * (aggregate, sequence) index), {@code eventsPerPage} events per query and their patients' rows per
     * transaction. Events appended meanwhile may or may not be seen: the processor, started at the copy's head,
     * derives those patients' rows again.
     */
    private long deriveRows(String fromExclusive, String toInclusive) {
        if (derived.isEmpty()) return 0;
        String upTo = toInclusive == null ? "" : " AND aggregateidentifier <= ?";
        Set<String> types = new TreeSet<>();
        derived.forEach(d -> types.addAll(d.eventTypes()));
        String[] classNames = EventCodec.storedClassNames().stream()
                .filter(c -> types.contains(c.substring(c.lastIndexOf('.') + 1))).toArray(String[]::new);
        long done = 0;
        long queryNanos = 0;
        long writeNanos = 0;
        int pages = 0;
        long slowestQueryNanos = 0;
        String after = fromExclusive;
        while (true) {
            Object[] args = toInclusive == null ? new Object[] {after, classNames, eventsPerPage}
                    : new Object[] {after, toInclusive, classNames, eventsPerPage};
            long q0 = System.nanoTime();
            List<StoredRow> rows = jdbc.query(SELECT_STORED + eventTable + " WHERE aggregateidentifier > ?" + upTo
                    + " AND payloadtype = ANY (?) ORDER BY aggregateidentifier, sequencenumber LIMIT ?", STORED_ROW, args);
            long q = System.nanoTime() - q0;
            queryNanos += q;
            slowestQueryNanos = Math.max(slowestQueryNanos, q);
            if (rows.isEmpty()) {
                log.info("Derived rows for {} patients in {} pages: page queries {} s (slowest {} ms), decoding, deriving "
                                + "and writing {} s", done, pages, String.format("%.1f", queryNanos / 1e9),
                        slowestQueryNanos / 1_000_000, String.format("%.1f", writeNanos / 1e9));
                return done;
            }
            long w0 = System.nanoTime();
            Map<String, List<RecordedEvent>> page = new LinkedHashMap<>();
            for (StoredRow row : rows) page.computeIfAbsent(row.patientId(), k -> new ArrayList<>()).add(row.decode());
            if (rows.size() == eventsPerPage) {
                // The last patient may continue beyond the page: read it whole, alone, if it is the only one.
                String last = rows.get(rows.size() - 1).patientId();
                if (page.size() > 1) {
                    page.remove(last);
                } else {
                    page.put(last, jdbc.query(SELECT_STORED + eventTable + " WHERE aggregateidentifier = ? "
                                    + "AND payloadtype = ANY (?) ORDER BY sequencenumber", STORED_ROW, last, classNames)
                            .stream().map(StoredRow::decode).toList());
                }
            }
            transactions.executeWithoutResult(tx -> {
                relaxCommit();
                for (DerivedRowsProjection<?> projection : derived) projection.deriveIntoEmptied(page);
            });
            writeNanos += System.nanoTime() - w0;
            pages++;
            done += page.size();
            progress.derived.addAndGet(page.size());
            after = lastKey(page); // the page is in aggregate order
        }
    }

    /**
     * {@code parts - 1} patient ids that split the registered patients into {@code parts} ranges of about equal
     * size ((lower, upper] each), in PostgreSQL's order of the ids, which the page queries use too.
     */
    private List<String> patientBounds(int parts) {
        List<String> bounds = new ArrayList<>();
        for (int k = 1; k < parts; k++) {
            String bound = jdbc.queryForObject("SELECT percentile_disc(?) WITHIN GROUP (ORDER BY aggregateidentifier) FROM "
                    + eventTable + " WHERE sequencenumber = 0", String.class, (double) k / parts);
            if (bound != null && (bounds.isEmpty() || !bounds.get(bounds.size() - 1).equals(bound))) bounds.add(bound);
        }
        return bounds;
    }

    private static final String SELECT_STORED = "SELECT aggregateidentifier, sequencenumber, payloadtype, payload, "
            + "timestamp, metadata FROM ";
    private static final RowMapper<StoredRow> STORED_ROW = (rs, i) -> new StoredRow(rs.getString(1), rs.getLong(2),
            rs.getString(3), rs.getBytes(4), rs.getString(5), rs.getBytes(6));

    /** An event as the event table holds it. */
    private record StoredRow(String patientId, long sequence, String className, byte[] payload, String timestamp,
                             byte[] metadata) {
        RecordedEvent decode() {
            String recordedBy;
            try {
                recordedBy = metadata == null ? null : recordedBy(metadata);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable metadata of " + patientId + "/" + sequence, e);
            }
            return new RecordedEvent(sequence, EventCodec.fromJson(className.substring(className.lastIndexOf('.') + 1),
                    payload), IsoInstant.parse(timestamp), recordedBy);
        }

        /** The metadata's recordedBy text (null if absent or null), read without building the whole tree. */
        private static String recordedBy(byte[] metadata) throws IOException {
            try (JsonParser p = JSON.getFactory().createParser(metadata)) {
                if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("metadata is not an object");
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean wanted = PatientEvent.RECORDED_BY.equals(p.currentName());
                    JsonToken value = p.nextToken();
                    if (wanted) return value == JsonToken.VALUE_NULL ? null : value.isScalarValue() ? p.getText() : "";
                    p.skipChildren();
                }
                return null;
            }
        }
    }

    private static String lastKey(Map<String, ?> page) {
        String last = null;
        for (String key : page.keySet()) last = key;
        return last;
    }

    /**
     * Rows written before the token are worthless without it: if the database crashes before the token is
     * stored, the reset token replays everything. The token's commit is synchronous and flushes the WAL of every
     * earlier commit with it, so nothing durable depends on these commits being synchronous.
     */
    private void relaxCommit() {
        jdbc.execute("SET LOCAL synchronous_commit = off");
    }
}
