package org.treatmentledger.bench.workloads;

import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.fixtures.EventRow;
import org.treatmentledger.bench.fixtures.EventTable;
import org.treatmentledger.bench.load.ClosedLoop;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * W6, the tamper-evident log (ledger-api's integrity package, reached by name as W5 reaches its class): how long
 * after an acknowledgement an event is in a signed checkpoint, how fast the whole-store check runs, and what an
 * evidence bundle of a 100-entry patient costs.
 */
public final class W6Integrity {

    private static final String STORE_VERIFIER = "org.treatmentledger.api.integrity.StoreVerifier";
    private static final String EVIDENCE = "org.treatmentledger.api.integrity.EvidenceService";
    /** An event not sealed within this long fails the run (the API promises 5 s). */
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final AxonContender ours;
    private final DataSource db;

    public W6Integrity(AxonContender ours, DataSource db) {
        this.ours = ours;
        this.db = db;
    }

    /** Closed loop: each client registers a patient and waits until the event's leaf (and so its checkpoint) exists. */
    public ClosedLoop.Result sealingLag(int clients, Duration warmUp, Duration measure) throws Exception {
        return ClosedLoop.run(clients, warmUp, measure, n -> recorder -> {
            PatientId id = PatientId.random();
            ours.send(BenchData.register(id, Instant.now().minus(Duration.ofDays(30))));
            long acknowledged = System.nanoTime();
            awaitSealed(id.value());
            recorder.completed(acknowledged);
        });
    }

    private void awaitSealed(String patient) throws Exception {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM ledger_leaf WHERE patient_id = ? AND sequence_number = 0")) {
            ps.setString(1, patient);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("W6: patient " + patient + " not sealed " + MAX_WAIT.toSeconds()
                            + " s after its acknowledgement");
                }
                Thread.sleep(2);
            }
        }
    }

    /** Waits until every stored event has its leaf; answers the seconds it took and the events sealed meanwhile. */
    public double[] awaitAllSealed(Duration timeout) throws Exception {
        long t0 = System.nanoTime();
        long before = leaves();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                    // Index look-ups, not counts: leaves are appended in global-index order, so the store is sealed
                    // once the newest event has its leaf (counting 1.5 million rows every 100 ms slowed the sealer).
                    "SELECT coalesce((SELECT max(globalindex) FROM domainevententry), 0)"
                            + " - coalesce((SELECT max(global_index) FROM ledger_leaf), 0)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) <= 0) break;
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("W6: store not sealed within " + timeout);
            Thread.sleep(100);
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, leaves() - before};
    }

    private long leaves() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(leaf_index) + 1, 0) FROM ledger_leaf"); // leaf indexes run from 0 without a gap
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public record VerifyRun(boolean verified, long treeSize, long checkpoints, double seconds, String mismatch) {
        public double perSecond() { return treeSize / seconds; }
    }

    /** The whole-store check (POST /api/admin/ledger/verify's work), timed. */
    public VerifyRun verifyStore() throws Exception {
        Class<?> type = Class.forName(STORE_VERIFIER, true, ours.context().getClassLoader());
        Object verifier = ours.context().getBean(type);
        long t0 = System.nanoTime();
        Object report = invoke(type.getMethod("verify"), verifier);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Class<?> r = report.getClass();
        return new VerifyRun((Boolean) r.getMethod("verified").invoke(report), (Long) r.getMethod("treeSize").invoke(report),
                (Long) r.getMethod("checkpointsChecked").invoke(report), seconds,
                String.valueOf(r.getMethod("firstMismatch").invoke(report)));
    }

    /** A patient of {@code entries} events, written straight into the event store as W3 does. */
    public String writePatient(int entries) throws SQLException {
        PatientId id = PatientId.random();
        List<PatientEvent> stream = BenchData.patientStream(id, Instant.now().minus(Duration.ofDays(1200)), entries);
        EventTable table = EventTable.SERVICE;
        try (Connection c = db.getConnection(); PreparedStatement insert = c.prepareStatement(table.insertSql())) {
            for (int seq = 0; seq < stream.size(); seq++) {
                PatientEvent e = stream.get(seq);
                table.bind(insert, EventRow.of(e, seq, e.occurredAt().plus(Duration.ofMinutes(5))));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return id.value();
    }

    public record Bundle(long[] latencyNanos, int entries, long treeSize, int longestProof) { }

    /** Builds the patient's evidence bundle (GET /api/patients/{id}/evidence's work) {@code times} times. */
    public Bundle evidence(String patient, int warmUp, int times) throws Exception {
        Class<?> type = Class.forName(EVIDENCE, true, ours.context().getClassLoader());
        Object service = ours.context().getBean(type);
        Method evidence = type.getMethod("evidence", String.class);
        for (int i = 0; i < warmUp; i++) invoke(evidence, service, patient);
        long[] latencies = new long[times];
        Object last = null;
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            last = invoke(evidence, service, patient);
            latencies[i] = System.nanoTime() - t0;
        }
        List<?> entries = (List<?>) last.getClass().getMethod("entries").invoke(last);
        Object checkpoint = last.getClass().getMethod("checkpoint").invoke(last);
        long treeSize = (Long) checkpoint.getClass().getMethod("treeSize").invoke(checkpoint);
        int longest = 0;
        for (Object entry : entries) {
            longest = Math.max(longest, ((List<?>) entry.getClass().getMethod("inclusionProof").invoke(entry)).size());
        }
        return new Bundle(latencies, entries.size(), treeSize, longest);
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
