package org.treatmentledger.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The sizes of one run: full (the sizes) or quick (a smoke run in under 3 minutes). */
public record BenchConfig(String mode, List<Integer> w1Clients, int w1WarmUpPatients, Duration w1WarmUp, Duration w1Measure,
                          Duration w1CatchUpTimeout, int limitBatch,
                          int w2Entries, int w2Window, int w2Loads, long w3Events, Duration w3ReplayTimeout,
                          int w4WarmUp, int w4Queries) {

    public static BenchConfig full() {
        return new BenchConfig("full", List.of(1, 8, 32), 300, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofMinutes(3), 100,
                10_000, 200, 30, 1_000_000, Duration.ofMinutes(3), 200, 1_000);
    }

    public static BenchConfig quick() {
        return new BenchConfig("quick", List.of(1, 8, 32), 100, Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofSeconds(15), 100,
                1_000, 200, 10, 100_000, Duration.ofSeconds(15), 100, 300);
    }

    /** The same sizes with another W3 store size and replay time limit (options --w3-events, --w3-timeout). */
    public BenchConfig withW3(long events, Duration replayTimeout) {
        return new BenchConfig(mode, w1Clients, w1WarmUpPatients, w1WarmUp, w1Measure, w1CatchUpTimeout, limitBatch,
                w2Entries, w2Window, w2Loads, events, replayTimeout, w4WarmUp, w4Queries);
    }

    /** The same sizes with other W1 concurrency levels (option --w1-clients=1,32; the targets are at 1 and 32). */
    public BenchConfig withW1Clients(List<Integer> clients) {
        if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1)) throw new IllegalArgumentException("--w1-clients: positive numbers");
        return new BenchConfig(mode, List.copyOf(clients), w1WarmUpPatients, w1WarmUp, w1Measure, w1CatchUpTimeout, limitBatch,
                w2Entries, w2Window, w2Loads, w3Events, w3ReplayTimeout, w4WarmUp, w4Queries);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("w1Clients", w1Clients);
        m.put("w1WarmUpPatientsBeforeAnyWindow", w1WarmUpPatients);
        m.put("w1WarmUpSeconds", w1WarmUp.toSeconds());
        m.put("w1MeasureSeconds", w1Measure.toSeconds());
        m.put("w1ReadModelCatchUpTimeoutSeconds", w1CatchUpTimeout.toSeconds());
        m.put("limitBatchRows", limitBatch);
        m.put("w2Entries", w2Entries);
        m.put("w2WindowForStartAndEnd", w2Window);
        m.put("w2ColdLoadsEach", w2Loads);
        m.put("w3BulkEvents", w3Events);
        m.put("w3ReplayTimeoutSeconds", w3ReplayTimeout.toSeconds());
        m.put("w4WarmUpQueriesEach", w4WarmUp);
        m.put("w4QueriesEach", w4Queries);
        return m;
    }
}
