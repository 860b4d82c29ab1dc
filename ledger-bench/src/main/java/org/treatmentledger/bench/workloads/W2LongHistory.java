package org.treatmentledger.bench.workloads;

import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.report.Stats;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.patient.Patient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.axonframework.config.Configuration;

/**
 * W2, long history: one patient receives {@code entries} accepted entries, one command at a time; then the
 * aggregate is loaded cold at 10 events and at the full length.
 * <p>
 * "Cold" here: the service's own Repository for Patient (as configured: snapshots, cache and all) loads the
 * aggregate inside a fresh unit of work, after every Axon Cache bean of the service has been cleared. It
 * reads from PostgreSQL (snapshot plus the events after it, or the whole stream where there is no snapshot);
 * PostgreSQL's own buffers stay warm, and the JIT is warmed by a few loads first.
 */
public final class W2LongHistory {

    public record Result(double[] appendMillis, double loadSmallMs, double loadLargeMs, int smallEvents, int largeEvents,
                         int loads, int cachesCleared, Map<String, Object> snapshot, Map<String, Object> personalData) { }

    private final AxonContender ours;
    private final DataSource db;

    public W2LongHistory(AxonContender ours, DataSource db) {
        this.ours = ours;
        this.db = db;
    }

    /**
     * @param warmUpEntries entries sent first to another patient, so the JIT has compiled these commands' path
     *                      before the measured patient's first appends
     */
    public Result run(int entries, int loads, int warmUpEntries) throws SQLException {
        Instant registeredAt = Instant.now().minus(Duration.ofHours(entries + 240L));
        append(PatientId.random(), registeredAt, warmUpEntries);
        PatientId small = PatientId.random();
        append(small, registeredAt, 9); // registration + 9 = 10 events
        PatientId large = PatientId.random();
        double[] latencies = append(large, registeredAt, entries);

        Repository<Patient> repository = repository();
        int caches = ours.context().getBeansOfType(Cache.class).size();
        for (int i = 0; i < 5; i++) { // JIT warm-up of the load path
            loadCold(repository, small);
            loadCold(repository, large);
        }
        double[] smallLoads = new double[loads];
        double[] largeLoads = new double[loads];
        for (int i = 0; i < loads; i++) { // interleaved, so drift in machine load hits both alike
            smallLoads[i] = loadCold(repository, small);
            largeLoads[i] = loadCold(repository, large);
        }
        Map<String, Object> personal = new LinkedHashMap<>();
        personal.put("smallPatient", personalData(small));
        personal.put("largePatient", personalData(large));
        return new Result(latencies, Stats.median(smallLoads), Stats.median(largeLoads), 10, entries + 1, loads, caches,
                snapshot(large), personal);
    }

    /** The latest snapshot of the patient, if the service takes them: where it stands and how big it is. */
    private Map<String, Object> snapshot(PatientId id) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), max(sequencenumber), max(length(payload)), max(pg_column_size(payload))"
                        + " FROM snapshotevententry WHERE aggregateidentifier = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                m.put("snapshotRows", rs.getLong(1));
                m.put("latestSnapshotSequence", rs.getObject(2));
                m.put("largestSnapshotPayloadBytes", rs.getObject(3));
                // Smaller than the payload when PostgreSQL compressed it (TOAST), which every load then decompresses.
                m.put("largestSnapshotStoredBytes", rs.getObject(4));
            }
        } catch (SQLException e) {
            m.put("snapshotTable", "not readable: " + e.getMessage());
        }
        return m;
    }

    /**
     * The patient's events that hold encrypted personal fields (its registration's birth year, notes, photo URIs: the
     * service encrypted them on append), in all and among those a cold load reads (after its latest snapshot, which
     * holds no personal field): what each load decrypts, with the data key from the service's key cache.
     */
    private Map<String, Object> personalData(PatientId id) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        String encrypted = "position('\"pd1:'::bytea IN payload) > 0";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "WITH s AS (SELECT coalesce(max(sequencenumber), -1) AS seq FROM snapshotevententry WHERE aggregateidentifier = ?)"
                        + " SELECT count(*), count(*) FILTER (WHERE " + encrypted + "),"
                        + " count(*) FILTER (WHERE sequencenumber > (SELECT seq FROM s)),"
                        + " count(*) FILTER (WHERE sequencenumber > (SELECT seq FROM s) AND " + encrypted + ")"
                        + " FROM domainevententry WHERE aggregateidentifier = ?")) {
            ps.setString(1, id.toString());
            ps.setString(2, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                m.put("events", rs.getLong(1));
                m.put("eventsWithCiphertext", rs.getLong(2));
                m.put("eventsReadPerColdLoad", rs.getLong(3));
                m.put("eventsWithCiphertextReadPerColdLoad", rs.getLong(4));
            }
        }
        return m;
    }

    /** Registers the patient and sends {@code entries} entries, an hour apart; returns each entry's latency in ms. */
    private double[] append(PatientId id, Instant registeredAt, int entries) {
        ours.send(BenchData.register(id, registeredAt));
        Deque<String> open = new ArrayDeque<>();
        double[] latencies = new double[entries];
        for (int i = 0; i < entries; i++) {
            Object command = BenchData.longHistoryEntry(id, i, registeredAt.plus(Duration.ofHours(i + 1L)), open);
            long t0 = System.nanoTime();
            ours.send(command);
            latencies[i] = (System.nanoTime() - t0) / 1e6;
        }
        return latencies;
    }

    @SuppressWarnings("unchecked")
    private Repository<Patient> repository() {
        return (Repository<Patient>) ours.context().getBean(Configuration.class)
                .repository(Patient.class);
    }

    private double loadCold(Repository<Patient> repository, PatientId id) {
        Map<String, Cache> caches = ours.context().getBeansOfType(Cache.class);
        caches.values().forEach(Cache::removeAll);
        DefaultUnitOfWork<?> uow = DefaultUnitOfWork.startAndGet(null);
        try {
            long t0 = System.nanoTime();
            repository.load(id.toString());
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            uow.rollback();
        }
    }
}
