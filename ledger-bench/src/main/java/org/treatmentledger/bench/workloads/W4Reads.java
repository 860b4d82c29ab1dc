package org.treatmentledger.bench.workloads;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.treatmentledger.bench.report.Latencies;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.schedule.ScheduleView;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * W4, reads: schedule, unit history and history of patients of the W3 store, one client, through the
 * service's QueryGateway (the HTTP controller's own path to the read models, without HTTP and security).
 * Patients are visited round-robin; every answer must be present, or the run fails.
 */
public final class W4Reads {

    private final QueryGateway queries;

    public W4Reads(QueryGateway queries) { this.queries = queries; }

    public Map<String, Latencies> run(List<PatientId> patients, int warmUp, int count) {
        return run(patients, warmUp, count, null);
    }

    /**
     * As {@link #run(List, int, int)}, with {@code afterEach} (kind, patient) timed with every read: what the HTTP
     * edge adds to it, e.g. the clinic check and the access record.
     */
    public Map<String, Latencies> run(List<PatientId> patients, int warmUp, int count,
                                      BiConsumer<String, PatientId> afterEach) {
        Map<String, Function<PatientId, Optional<?>>> kinds = new LinkedHashMap<>();
        kinds.put("FindSchedule", id -> queries.query(new FindSchedule(id),
                ResponseTypes.optionalInstanceOf(ScheduleView.class)).join());
        kinds.put("FindUnitHistory", id -> queries.query(new FindUnitHistory(id),
                ResponseTypes.optionalInstanceOf(UnitHistoryView.class)).join());
        kinds.put("FindHistory", id -> queries.query(new FindHistory(id, null),
                ResponseTypes.optionalInstanceOf(HistoryView.class)).join());
        Map<String, Latencies> out = new LinkedHashMap<>();
        for (Map.Entry<String, Function<PatientId, Optional<?>>> kind : kinds.entrySet()) {
            for (int i = 0; i < warmUp; i++) {
                PatientId id = patients.get(i % patients.size());
                ask(kind, id);
                if (afterEach != null) afterEach.accept(kind.getKey(), id);
            }
            double[] ms = new double[count];
            for (int i = 0; i < count; i++) {
                PatientId id = patients.get((i * 7 + 3) % patients.size());
                long t0 = System.nanoTime();
                ask(kind, id);
                if (afterEach != null) afterEach.accept(kind.getKey(), id);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            out.put(kind.getKey(), Latencies.of(ms));
        }
        return out;
    }

    private static void ask(Map.Entry<String, Function<PatientId, Optional<?>>> kind, PatientId id) {
        if (kind.getValue().apply(id).isEmpty()) {
            throw new IllegalStateException(kind.getKey() + " found nothing for patient " + id + " after the rebuild");
        }
    }
}
