package org.treatmentledger.bench.workloads;

import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BulkWriter;
import org.treatmentledger.bench.fixtures.EventTable;
import org.treatmentledger.bench.fixtures.KeyWrapper;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.TreeSet;

/**
 * W3, rebuild. The bulk writer ({@link BulkWriter}) fills the service's event table straight through JDBC batches
 * with valid patient streams stored as the service stores them, personal fields encrypted and the data keys in
 * {@code ledger_data_key} (while the service's processors are stopped); then every read-model processor's
 * tokens are reset and the time until all have caught up is the rebuild. Its limit is a plain JDBC scan of
 * the same table in global index order, reading the payload bytes.
 */
public final class W3Rebuild {

    public static final int EVENTS_PER_PATIENT = BulkWriter.EVENTS_PER_PATIENT;

    public record ScanResult(long events, long payloadBytes, double seconds) {
        public double perSecond() { return events / seconds; }
    }

    /**
     * A replay's outcome. When it did not finish within the time allowed, {@code events} is how far the slowest
     * read model got (its lowest segment position), so the rate is the rate achieved, and {@code timedOut} says so.
     */
    public record ReplayResult(long events, long headIndex, double seconds, boolean timedOut, long slowestPosition,
                               List<String> processors, Map<String, Object> status) {
        public double perSecond() { return events / seconds; }
    }

    private final AxonContender ours;
    private final DataSource db;
    private final EventTable table;

    public W3Rebuild(AxonContender ours, DataSource db, EventTable table) {
        this.ours = ours;
        this.db = db;
        this.table = table;
    }

    public List<StreamingEventProcessor> processors() {
        List<StreamingEventProcessor> list = new ArrayList<>();
        for (EventProcessor p : ours.eventProcessing().eventProcessors().values()) {
            if (p instanceof StreamingEventProcessor s) list.add(s);
        }
        return list;
    }

    public void stopProcessors() {
        for (StreamingEventProcessor p : processors()) p.shutDown();
    }

    /** Starts every streaming processor again and waits (up to {@code timeout}) until all have reached the head. */
    public boolean startAndCatchUp(Duration timeout) throws InterruptedException, SQLException {
        for (StreamingEventProcessor p : processors()) p.start();
        return awaitCaughtUp(timeout);
    }

    /** Waits (up to {@code timeout}) until every running streaming processor has reached the current head. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException, SQLException {
        List<StreamingEventProcessor> processors = processors();
        long head = headIndex();
        TokenStore tokens = ours.context().getBean(TokenStore.class);
        Map<String, Integer> segments = new LinkedHashMap<>();
        for (StreamingEventProcessor p : processors) segments.put(p.getName(), tokens.fetchSegments(p.getName()).length);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!caughtUp(processors, segments, head)) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(100);
        }
        return true;
    }

    /** Events between the head of the store and the slowest read-model processor: how far the read side lags. */
    public long backlog() throws SQLException {
        return Math.max(0, headIndex() - slowestPosition(processors()));
    }

    /**
     * Writes streams of EVENTS_PER_PATIENT events until {@code events} rows are in, on {@code threads} writers: the
     * personal fields encrypted and each patient's data key stored, wrapped by {@code kek} ({@link BulkWriter}).
     */
    public BulkWriter.Result bulkWrite(long events, int threads, KeyWrapper kek) throws Exception {
        return new BulkWriter(db, table, kek).write(events, threads);
    }

    /**
     * The store's encrypted personal data: events in the store, those holding at least one encrypted personal field,
     * those of them the bulk rebuild decodes (the event types of the read models whose rows it derives; the event copy
     * keeps the stored bytes without reading them), and the live data keys.
     */
    public record Ciphertext(long events, long withCiphertext, long withCiphertextDecodedByRebuild, long liveDataKeys,
                             List<String> typesTheRebuildDecodes) { }

    public Ciphertext ciphertext() throws SQLException {
        Set<String> types = new TreeSet<>();
        for (DerivedRowsProjection<?> d : ours.context().getBeansOfType(DerivedRowsProjection.class).values()) {
            types.addAll(d.eventTypes());
        }
        String[] classNames = EventCodec.storedClassNames().stream()
                .filter(c -> types.contains(c.substring(c.lastIndexOf('.') + 1))).toArray(String[]::new);
        // The envelope's start as the JSON holds it (docs/ERASURE.md, "How values are stored").
        String encrypted = "position('\"pd1:'::bytea IN payload) > 0";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT count(*),"
                + " count(*) FILTER (WHERE " + encrypted + "),"
                + " count(*) FILTER (WHERE payloadtype = ANY(?) AND " + encrypted + "),"
                + " (SELECT count(*) FROM ledger_data_key WHERE destroyed_at IS NULL) FROM " + table.name())) {
            ps.setArray(1, c.createArrayOf("varchar", classNames));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Ciphertext(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), List.copyOf(types));
            }
        }
    }

    /** VACUUM ANALYZE after the bulk load, as autovacuum would: both readers then see a settled table. */
    public void settle() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE " + table.name());
        }
    }

    public long countEvents() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.name())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long headIndex() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(table.maxIndexSql())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The limit: one sequential pass in global index order with a server-side cursor, touching every payload. */
    public ScanResult rawScan() throws SQLException {
        long t0 = System.nanoTime();
        long events = 0;
        long bytes = 0;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // a cursor needs a transaction
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery(table.scanSql())) {
                    while (rs.next()) {
                        rs.getLong(1);
                        rs.getString(2);
                        rs.getString(3);
                        rs.getLong(4);
                        rs.getString(7);
                        byte[] payload = rs.getBytes(9);
                        byte[] meta = rs.getBytes(10);
                        bytes += payload.length + (meta == null ? 0 : meta.length);
                        events++;
                    }
                }
            }
            c.commit();
        }
        return new ScanResult(events, bytes, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Rebuilds every read model through the service's ReadModelRebuilds (or, without it, resets every
     * streaming processor's tokens directly) and times from the restart until every segment of every
     * processor has reached the head of the store. The clock starts before the resets, so the reset handlers'
     * table truncation counts too.
     */
    public ReplayResult replay(long events, Duration timeout) throws InterruptedException, SQLException {
        List<StreamingEventProcessor> processors = processors();
        if (processors.isEmpty()) throw new IllegalStateException("the service has no streaming processors to replay");
        long head = headIndex();
        ReadModelRebuilds rebuilds = ours.context().getBeanProvider(ReadModelRebuilds.class).getIfAvailable();
        long t0;
        if (rebuilds != null) {
            // The service's own rebuild: per read model, shut down, reset tokens (reset handlers empty the tables), start.
            t0 = System.nanoTime();
            // Read models that share a processor are rebuilt together: one rebuild per distinct processor.
            Set<Object> rebuilt = Collections.newSetFromMap(new IdentityHashMap<>());
            for (String group : rebuilds.readModels()) {
                Object processor = ours.eventProcessing().eventProcessorByProcessingGroup(group).orElse(null);
                if (processor == null || rebuilt.add(processor)) rebuilds.rebuild(group);
            }
        } else {
            for (StreamingEventProcessor p : processors) {
                if (p.isRunning()) p.shutDown();
                p.resetTokens();
            }
            t0 = System.nanoTime();
            for (StreamingEventProcessor p : processors) p.start();
        }
        long deadline = t0 + timeout.toNanos();
        TokenStore tokens = ours.context().getBean(TokenStore.class);
        Map<String, Integer> segments = new LinkedHashMap<>();
        for (StreamingEventProcessor p : processors) segments.put(p.getName(), tokens.fetchSegments(p.getName()).length);
        boolean timedOut = false;
        while (!caughtUp(processors, segments, head)) {
            if (System.nanoTime() > deadline) {
                timedOut = true;
                break;
            }
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long slowest = slowestPosition(processors);
        Map<String, Object> status = describe(processors);
        if (timedOut) {
            // Stop the replay so later workloads do not compete with it; the read models stay as far as they got.
            stopProcessors();
        }
        long done = timedOut ? Math.min(events, Math.max(0, slowest)) : events;
        return new ReplayResult(done, head, seconds, timedOut, slowest,
                processors.stream().map(StreamingEventProcessor::getName).sorted().toList(), status);
    }

    private static long slowestPosition(List<StreamingEventProcessor> processors) {
        long min = Long.MAX_VALUE;
        for (StreamingEventProcessor p : processors) {
            if (p.processingStatus().isEmpty()) return 0;
            for (EventTrackerStatus s : p.processingStatus().values()) min = Math.min(min, s.getCurrentPosition().orElse(0));
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    /**
     * Up to {@code limit} random patients with at most {@code maxEvents} events, all at or below {@code position}
     * (fully in every read model): W4's fallback when the rebuild reached none of the bulk-written patients.
     */
    public List<PatientId> anyCompleteUpTo(long position, int maxEvents, int limit) throws SQLException {
        List<PatientId> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT aggregateidentifier FROM " + table.name() + " WHERE globalindex <= ? GROUP BY aggregateidentifier"
                        + " HAVING count(*) <= ? AND min(sequencenumber) = 0 ORDER BY random() LIMIT ?")) {
            ps.setLong(1, position);
            ps.setInt(2, maxEvents);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    PatientId id = PatientId.of(rs.getString(1));
                    out.add(id);
                }
            }
        }
        // A patient may have events above the position too: keep only those wholly below it.
        return completeUpTo(out, position);
    }

    /** Those of the patients whose every event is at or below {@code position}: fully in every read model. */
    public List<PatientId> completeUpTo(List<PatientId> patients, long position) throws SQLException {
        List<PatientId> complete = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT max(globalindex) FROM " + table.name() + " WHERE aggregateidentifier = ?")) {
            for (PatientId id : patients) {
                ps.setString(1, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) <= position) complete.add(id);
                }
            }
        }
        return complete;
    }

    private static boolean caughtUp(List<StreamingEventProcessor> processors, Map<String, Integer> segments, long head) {
        for (StreamingEventProcessor p : processors) {
            Map<Integer, EventTrackerStatus> status = p.processingStatus();
            // Every segment claimed, not only the first one.
            if (status.isEmpty() || status.size() < segments.get(p.getName())) return false;
            for (EventTrackerStatus s : status.values()) {
                if (s.isErrorState()) throw new IllegalStateException(p.getName() + " failed during replay: " + s.getError());
                if (s.isReplaying() || !s.isCaughtUp()) return false;
                if (s.getCurrentPosition().orElse(-1) < head) return false;
            }
        }
        return true;
    }

    private static Map<String, Object> describe(List<StreamingEventProcessor> processors) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (StreamingEventProcessor p : processors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", p.getClass().getSimpleName());
            m.put("segments", p.processingStatus().size());
            m.put("positions", p.processingStatus().values().stream()
                    .map(s -> s.getCurrentPosition().orElse(-1)).toList());
            out.put(p.getName(), m);
        }
        return out;
    }
}
