package org.treatmentledger.bench.workloads;

import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.report.Stats;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.patient.Patient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

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
                         int loads, int cachesCleared) { }

    private final AxonContender ours;

    public W2LongHistory(AxonContender ours) { this.ours = ours; }

    public Result run(int entries, int loads) {
        Instant registeredAt = Instant.now().minus(Duration.ofHours(entries + 240L));
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
        return new Result(latencies, Stats.median(smallLoads), Stats.median(largeLoads), 10, entries + 1, loads, caches);
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
        return (Repository<Patient>) ours.context().getBean(org.axonframework.config.Configuration.class)
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
