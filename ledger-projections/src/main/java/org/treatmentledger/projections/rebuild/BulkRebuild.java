package org.treatmentledger.projections.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebuilds the read models from the JDBC event store set-wise instead of event by event. An event-by-event
 * replay goes through Axon's processor (fetch, deserialise, one handler call per read model, serialise again)
 * and reached about 8,000 events/s; the read side's rows are a copy of the events plus rows derived per
 * patient, so both can be built in bulk:
 * <ol>
 *   <li>the event copy ({@code ledger_event}) with {@code INSERT ... SELECT} from the event table, one short
 *       transaction per range of global indexes, inside PostgreSQL (the stored payload is already the read
 *       side's JSON: the same dedicated mapper writes both, and there are no upcasters);</li>
 *   <li>the derived rows (durability, lots) per page of patients, by the read models' own derivations;</li>
 *   <li>the processor's token: every segment at the head the copy reached, with the global indexes it did not
 *       see in the last {@code maxGapOffset} positions as gaps, exactly as Axon's own gap-aware token would
 *       hold them. An event committed later at one of those positions is then handled by the processor as
 *       usual (the handlers are idempotent), and so is every event appended after the head.</li>
 * </ol>
 * It runs after the processor's tokens were reset (the reset handlers emptied the tables), with the processor
 * shut down on every node. If it fails, the tokens stay reset and the processor replays event by event: a
 * slower rebuild, never a wrong one. Events older than the last {@code maxGapOffset} positions are assumed
 * committed, the same assumption Axon's token makes.
 */
public class BulkRebuild {

    private static final Logger log = LoggerFactory.getLogger(BulkRebuild.class);

    /** Where a running bulk rebuild stands: {@code stage} COPYING_EVENTS or DERIVING_ROWS, {@code done} of {@code total}. */
    public record Status(String processor, String stage, long done, long total) {
        public double percent() {
            return total <= 0 ? 0.0 : Math.min(100.0, Math.floor(1000.0 * done / total) / 10.0);
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransactionTemplate snapshotTransaction;
    private final TransactionManager tokenTransactions;
    private final TokenStore tokens;
    private final List<DerivedRowsProjection<?>> derived;
    private final String eventTable;
    private final int maxGapOffset;
    private final int indexesPerTransaction;
    private final int patientsPerPage;
    private volatile Status status;

    /**
     * @param eventTable            the JDBC event store's table (Axon's default schema)
     * @param maxGapOffset          the event storage engine's maxGapOffset
     * @param indexesPerTransaction global indexes copied per transaction (keeps each one short)
     * @param patientsPerPage       patients whose derived rows are written per transaction
     */
    public BulkRebuild(JdbcTemplate jdbc, PlatformTransactionManager transactions, TransactionManager tokenTransactions,
                       TokenStore tokens, List<DerivedRowsProjection<?>> derived, String eventTable, int maxGapOffset,
                       int indexesPerTransaction, int patientsPerPage) {
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
        this.patientsPerPage = patientsPerPage;
    }

    /** The running bulk rebuild, if any. */
    public Optional<Status> status() {
        return Optional.ofNullable(status);
    }

    /**
     * Fills the emptied read models from the event store and stores the position they then hold as the token
     * of every segment of {@code processor} (claims released). Returns that token, or null when the store is empty
     * (the reset tokens then stay). Call only with the processor shut down on every node, after its reset.
     */
    public synchronized TrackingToken run(String processor) {
        long started = System.nanoTime();
        try {
            Long head = jdbc.queryForObject("SELECT max(globalindex) FROM " + eventTable, Long.class);
            if (head == null) return null;
            Long first = jdbc.queryForObject("SELECT min(globalindex) FROM " + eventTable, Long.class);
            long windowStart = Math.max(first, head - maxGapOffset + 1);
            status = new Status(processor, "COPYING_EVENTS", 0, head - first + 1);
            long copied = 0;
            for (long from = first; from < windowStart; from += indexesPerTransaction) {
                long to = Math.min(from + indexesPerTransaction - 1, windowStart - 1);
                long lo = from;
                Integer n = transactions.execute(tx -> {
                    relaxCommit();
                    return copy(lo, to);
                });
                copied += n == null ? 0 : n;
                status = new Status(processor, "COPYING_EVENTS", to - first + 1, head - first + 1);
            }
            // The last maxGapOffset positions in one snapshot: what it copies and what it finds missing agree.
            List<Long> missing = new ArrayList<>();
            Integer n = snapshotTransaction.execute(tx -> {
                int c = copy(windowStart, head);
                missing.addAll(jdbc.queryForList("SELECT g FROM generate_series(?::bigint, ?::bigint) g WHERE NOT EXISTS "
                        + "(SELECT 1 FROM " + eventTable + " e WHERE e.globalindex = g) ORDER BY g", Long.class, windowStart, head));
                return c;
            });
            copied += n == null ? 0 : n;
            double copySeconds = (System.nanoTime() - started) / 1e9;
            long patients = deriveRows(processor);
            GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(head, new TreeSet<>(missing));
            tokenTransactions.executeInTransaction(() -> {
                for (int segment : tokens.fetchSegments(processor)) {
                    tokens.storeToken(token, processor, segment);
                    tokens.releaseClaim(processor, segment);
                }
            });
            log.info("Bulk rebuild of {}: {} events copied in {} s, rows derived for {} patients, {} s in all; "
                            + "token at {} with {} gap(s)", processor, copied, String.format("%.1f", copySeconds),
                    patients, String.format("%.1f", (System.nanoTime() - started) / 1e9), head, missing.size());
            return token;
        } finally {
            status = null;
        }
    }

    /** Copies the patient events of a global index range into ledger_event; returns the rows inserted. */
    private int copy(long from, long to) {
        return jdbc.update("INSERT INTO ledger_event (patient_id, sequence_number, entry_id, event_type, occurred_at, "
                        + "recorded_at, recorded_by, payload) "
                        + "SELECT e.aggregateidentifier, e.sequencenumber, p.json ->> 'entryId', "
                        + "substring(e.payloadtype from '[^.]+$'), (p.json ->> 'occurredAt')::timestamptz, "
                        + "e.timestamp::timestamptz, convert_from(e.metadata, 'UTF8')::jsonb ->> 'recordedBy', p.json "
                        + "FROM " + eventTable + " e CROSS JOIN LATERAL (SELECT convert_from(e.payload, 'UTF8')::jsonb AS json) p "
                        + "WHERE e.globalindex BETWEEN ? AND ? AND e.payloadtype = ANY (?) "
                        + "ON CONFLICT (patient_id, sequence_number) DO NOTHING",
                from, to, EventCodec.storedClassNames().toArray(String[]::new));
    }

    /** The derived rows of every patient with events they need, a page of patients per transaction. */
    private long deriveRows(String processor) {
        if (derived.isEmpty()) return 0;
        Set<String> types = new TreeSet<>();
        derived.forEach(d -> types.addAll(d.eventTypes()));
        String[] typeArray = types.toArray(String[]::new);
        Long total = jdbc.queryForObject("SELECT count(*) FROM ledger_event WHERE event_type = 'PatientRegistered'", Long.class);
        long done = 0;
        String after = "";
        status = new Status(processor, "DERIVING_ROWS", 0, total == null ? 0 : total);
        while (true) {
            Map<String, List<RecordedEvent>> page = new LinkedHashMap<>();
            jdbc.query("SELECT patient_id, sequence_number, event_type, payload::text, recorded_at, recorded_by "
                            + "FROM ledger_event WHERE patient_id IN (SELECT DISTINCT patient_id FROM ledger_event "
                            + "WHERE patient_id > ? AND event_type = ANY (?) ORDER BY patient_id LIMIT ?) "
                            + "AND event_type = ANY (?) ORDER BY patient_id, sequence_number",
                    rs -> {
                        page.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new RecordedEvent(rs.getLong(2),
                                EventCodec.fromJson(rs.getString(3), rs.getString(4)), rs.getTimestamp(5).toInstant(),
                                rs.getString(6)));
                    }, after, typeArray, patientsPerPage, typeArray);
            if (page.isEmpty()) return done;
            transactions.executeWithoutResult(tx -> {
                relaxCommit();
                for (DerivedRowsProjection<?> projection : derived) projection.deriveAndReplace(page);
            });
            done += page.size();
            after = lastKey(page); // the page is in patient_id order
            status = new Status(processor, "DERIVING_ROWS", done, Math.max(done, total == null ? 0 : total));
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
