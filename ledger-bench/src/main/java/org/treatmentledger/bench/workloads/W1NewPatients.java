package org.treatmentledger.bench.workloads;

import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.fixtures.EventRow;
import org.treatmentledger.bench.fixtures.EventTable;
import org.treatmentledger.bench.load.ClosedLoop;
import org.treatmentledger.core.api.PatientId;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * W1, new patients: each client registers a patient and records its first injection, again and again.
 * A request is one command (ours, peer) or one event row (limit): RegisterPatient + RecordInjection append
 * one event each, so a command and a row carry the same stored data.
 */
public final class W1NewPatients {

    private final Duration warmUp;
    private final Duration measure;

    public W1NewPatients(Duration warmUp, Duration measure) {
        this.warmUp = warmUp;
        this.measure = measure;
    }

    /**
     * Sends {@code patients} patients' two commands before any measurement, so a contender's first requests
     * (lazy initialisation, JIT) never fall into a measurement window.
     */
    public void warmUp(AxonContender contender, int patients) {
        Instant now = Instant.now();
        for (int i = 0; i < patients; i++) {
            PatientId id = PatientId.random();
            contender.send(BenchData.register(id, now.minus(Duration.ofDays(30))));
            contender.send(BenchData.firstInjection(id, BenchData.newId(), now.minus(Duration.ofHours(1))));
        }
    }

    /** Ours or the peer, through the command gateway. */
    public ClosedLoop.Result commands(AxonContender contender, int clients) throws InterruptedException {
        return ClosedLoop.run(clients, warmUp, measure, n -> recorder -> {
            PatientId id = PatientId.random();
            Instant now = Instant.now();
            long t0 = System.nanoTime();
            contender.send(BenchData.register(id, now.minus(Duration.ofDays(30))));
            recorder.completed(t0);
            long t1 = System.nanoTime();
            contender.send(BenchData.firstInjection(id, BenchData.newId(), now.minus(Duration.ofHours(1))));
            recorder.completed(t1);
        });
    }

    /** The limit, one row per transaction: each client on its own connection, autocommit insert. */
    public ClosedLoop.Result limitOneRowPerTransaction(DataSource ds, EventTable table, int clients)
            throws InterruptedException, SQLException {
        List<Connection> connections = open(ds, clients, true);
        try {
            return ClosedLoop.run(clients, warmUp, measure, n -> {
                PreparedStatement insert = prepare(connections.get(n), table);
                return recorder -> {
                    PatientId id = PatientId.random();
                    Instant now = Instant.now();
                    // Serialization is part of the request, as in the service.
                    long t0 = System.nanoTime();
                    table.bind(insert, EventRow.of(BenchData.registered(id, now.minus(Duration.ofDays(30))), 0, now));
                    insert.executeUpdate();
                    recorder.completed(t0);
                    long t1 = System.nanoTime();
                    table.bind(insert, EventRow.of(BenchData.injected(id, BenchData.newId(), now.minus(Duration.ofHours(1)), 1), 1, now));
                    insert.executeUpdate();
                    recorder.completed(t1);
                };
            });
        } finally {
            close(connections);
        }
    }

    /** The limit, batched: {@code batch} rows (batch/2 patients) per transaction; a request is one transaction. */
    public ClosedLoop.Result limitBatched(DataSource ds, EventTable table, int clients, int batch)
            throws InterruptedException, SQLException {
        List<Connection> connections = open(ds, clients, false);
        try {
            return ClosedLoop.run(clients, warmUp, measure, n -> {
                Connection c = connections.get(n);
                PreparedStatement insert = prepare(c, table);
                return recorder -> {
                    long t0 = System.nanoTime();
                    Instant now = Instant.now();
                    for (int i = 0; i < batch / 2; i++) {
                        PatientId id = PatientId.random();
                        table.bind(insert, EventRow.of(BenchData.registered(id, now.minus(Duration.ofDays(30))), 0, now));
                        insert.addBatch();
                        table.bind(insert, EventRow.of(BenchData.injected(id, BenchData.newId(), now.minus(Duration.ofHours(1)), 1), 1, now));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                    recorder.completed(t0);
                };
            });
        } finally {
            close(connections);
        }
    }

    public static void createLimitTable(DataSource ds, EventTable table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(table.createDdl());
        }
    }

    private static PreparedStatement prepare(Connection c, EventTable table) {
        try {
            return c.prepareStatement(table.insertSql());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Connection> open(DataSource ds, int count, boolean autoCommit) throws SQLException {
        List<Connection> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Connection c = ds.getConnection();
            c.setAutoCommit(autoCommit);
            list.add(c);
        }
        return list;
    }

    private static void close(List<Connection> connections) throws SQLException {
        for (Connection c : connections) c.close();
    }
}
