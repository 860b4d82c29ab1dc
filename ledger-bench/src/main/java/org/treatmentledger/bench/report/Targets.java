package org.treatmentledger.bench.report;

import java.util.Map;

/** The targets, each a function from measured numbers to one result row with its verdict. */
public final class Targets {

    public static final double HEAP_TARGET_MIB = 512;
    public static final double READ_P99_TARGET_MS = 20;
    public static final double W5_P99_TARGET_MS = 20;

    private Targets() { }

    /** W1 throughput row. 1 client: ours >= 0.5x limit. 32 clients: ours >= 2x peer and >= 0.5x limit. 8: no target. */
    public static WorkloadResult w1Throughput(int clients, Double ours, Double peer, Double limit, Map<String, Object> details) {
        Double toLimit = Stats.ratio(ours, limit);
        Double toPeer = Stats.ratio(ours, peer);
        String target;
        Boolean met;
        if (clients == 1) {
            target = "ours >= 0.5x the limit's one-row-per-transaction rate";
            met = toLimit != null && toLimit >= 0.5;
        } else if (clients == 32) {
            target = "ours >= 2x the peer and >= 0.5x the limit at the same concurrency";
            met = toPeer != null && toLimit != null && toPeer >= 2.0 && toLimit >= 0.5;
        } else {
            target = "none at " + clients + " clients (reported for the curve)";
            met = null;
        }
        return new WorkloadResult("W1", clients, "commands per second (RegisterPatient + RecordInjection)",
                "commands/s", ours, peer, limit, toLimit, toPeer, target, met,
                "limit = plain JDBC, one event row per transaction, same concurrency", details);
    }

    /** W1 latency per request (one command, or one row for the limit). No target: reported next to throughput. */
    public static WorkloadResult w1Latency(int clients, String percentile, Double ours, Double peer, Double limit) {
        return new WorkloadResult("W1", clients, "latency " + percentile + " per command (limit: per row)", "ms",
                ours, peer, limit, Stats.ratio(ours, limit), Stats.ratio(ours, peer), "none (reported)", null,
                "ratios are latency ratios: below 1 means ours is faster", Map.of());
    }

    /** W2: cold load time at 10,000 events <= 3x that at 10. */
    public static WorkloadResult w2Load(double loadAtLargeMs, double loadAtSmallMs, int largeEvents, int smallEvents,
                                        Map<String, Object> details) {
        Double ratio = Stats.ratio(loadAtLargeMs, loadAtSmallMs);
        return new WorkloadResult("W2", null, "cold aggregate load time at " + largeEvents + " events (median)", "ms",
                loadAtLargeMs, null, loadAtSmallMs, ratio, null,
                "load time at 10,000 events <= 3x that at 10", ratio != null && ratio <= 3.0,
                "limit = load time at " + smallEvents + " events (the target's baseline)", details);
    }

    /** W2: append latency at the end <= 1.5x that at the start. */
    public static WorkloadResult w2Append(double endMs, double startMs, int window, Map<String, Object> details) {
        Double ratio = Stats.ratio(endMs, startMs);
        return new WorkloadResult("W2", 1, "append latency at the end (median of the last " + window + ")", "ms",
                endMs, null, startMs, ratio, null,
                "append latency at the end <= 1.5x that at the start", ratio != null && ratio <= 1.5,
                "limit = median of the first " + window + " appends (the target's baseline)", details);
    }

    /** W3: rebuild >= 0.25x the raw sequential read rate, and >= 20,000 events/s. */
    public static WorkloadResult w3Rebuild(double oursEventsPerSecond, double rawReadEventsPerSecond, Map<String, Object> details) {
        return w3Rebuild("read-model rebuild (replay of every read model)", oursEventsPerSecond, rawReadEventsPerSecond, details);
    }

    public static WorkloadResult w3Rebuild(String metric, double oursEventsPerSecond, double rawReadEventsPerSecond,
                                           Map<String, Object> details) {
        Double ratio = Stats.ratio(oursEventsPerSecond, rawReadEventsPerSecond);
        boolean met = ratio != null && ratio >= 0.25 && oursEventsPerSecond >= 20_000;
        return new WorkloadResult("W3", null, metric, "events/s",
                oursEventsPerSecond, null, rawReadEventsPerSecond, ratio, null,
                "rebuild >= 0.25x the raw read rate, and >= 20,000 events/s", met,
                "limit = plain JDBC sequential scan of the event table in global index order", details);
    }

    /** W4: p99 under 20 ms. */
    public static WorkloadResult w4Read(String query, Latencies latencies, Map<String, Object> details) {
        Double ratio = Stats.ratio(latencies.p99Ms(), READ_P99_TARGET_MS);
        return new WorkloadResult("W4", 1, query + " p99 (p50 in details)", "ms",
                latencies.p99Ms(), null, READ_P99_TARGET_MS, ratio, null,
                "p99 under 20 ms", latencies.p99Ms() < READ_P99_TARGET_MS,
                "limit = the target's bound (20 ms)", details);
    }

    /** W5: write to visible, p99 at most 20 ms on one node (at every concurrency measured). */
    public static WorkloadResult w5WriteToVisible(int clients, Latencies latencies, Map<String, Object> details) {
        Double ratio = Stats.ratio(latencies.p99Ms(), W5_P99_TARGET_MS);
        return new WorkloadResult("W5", clients, "write to visible p99 (acknowledgement until the read models show it; p50 in details)",
                "ms", latencies.p99Ms(), null, W5_P99_TARGET_MS, ratio, null,
                "p99 <= 20 ms on one node", latencies.p99Ms() <= W5_P99_TARGET_MS,
                "limit = the target's bound (20 ms)", details);
    }

    /** Memory: peak used heap <= 512 MiB (with the 1,000,000-event store). */
    public static WorkloadResult heap(String phase, double peakHeapMiB, Map<String, Object> details) {
        Double ratio = Stats.ratio(peakHeapMiB, HEAP_TARGET_MIB);
        return new WorkloadResult("memory", null, "peak used heap during " + phase, "MiB",
                peakHeapMiB, null, HEAP_TARGET_MIB, ratio, null,
                "heap <= 512 MiB with the 1,000,000-event store", peakHeapMiB <= HEAP_TARGET_MIB,
                "limit = the target's bound; the process also hosts the yardsticks", details);
    }

    /** Memory: peak resident set size. No target. */
    public static WorkloadResult rss(String phase, double peakRssMiB, Map<String, Object> details) {
        return new WorkloadResult("memory", null, "peak RSS during " + phase, "MiB",
                peakRssMiB, null, null, null, null,
                "none (reported)", null,
                "whole JVM process (heap, metaspace, threads, code cache); the process also hosts the yardsticks", details);
    }

    /** W6: an acknowledged event is in a signed checkpoint; the API promises 5 s (p99 checked against it). */
    public static WorkloadResult w6SealingLag(int clients, Latencies latencies, Map<String, Object> details) {
        return new WorkloadResult("W6", clients, "sealing lag p99 (acknowledgement until the event is in a signed checkpoint; p50 in details)",
                "ms", latencies.p99Ms(), null, 5000.0, Stats.ratio(latencies.p99Ms(), 5000.0), null,
                "every acknowledged event inside a signed checkpoint within 5 s", latencies.p99Ms() <= 5000.0,
                "limit = the API's bound (5 s)", details);
    }

    /** W6: the whole-store check on the W3 store, >= 100,000 events/s. */
    public static WorkloadResult w6Verify(double eventsPerSecond, Map<String, Object> details) {
        return new WorkloadResult("W6", null, "whole-store verify (every leaf, node and checkpoint recomputed)",
                "events/s", eventsPerSecond, null, 100_000.0, Stats.ratio(eventsPerSecond, 100_000.0), null,
                ">= 100,000 events/s on the W3 store", eventsPerSecond >= 100_000,
                "limit = the target's bound", details);
    }

    /** W6: an evidence bundle of a 100-entry patient, p99 < 50 ms. */
    public static WorkloadResult w6Evidence(Latencies latencies, Map<String, Object> details) {
        return new WorkloadResult("W6", 1, "evidence bundle of a 100-entry patient p99 (p50 in details)", "ms",
                latencies.p99Ms(), null, 50.0, Stats.ratio(latencies.p99Ms(), 50.0), null,
                "p99 < 50 ms", latencies.p99Ms() < 50.0, "limit = the target's bound", details);
    }

    /** W6: the longest inclusion proof in bytes against 32 x ceil(log2 n). */
    public static WorkloadResult w6ProofSize(long proofBytes, long treeSize, Map<String, Object> details) {
        double bound = 32.0 * Math.ceil(Math.log(treeSize) / Math.log(2));
        return new WorkloadResult("W6", null, "largest inclusion proof in the bundle", "bytes", (double) proofBytes, null,
                bound, Stats.ratio((double) proofBytes, bound), null, "<= 32 x ceil(log2 n) bytes, n = " + treeSize,
                proofBytes <= bound, "limit = 32 x ceil(log2 n)", details);
    }

    /** W7: a 100-entry patient's FHIR Bundle (read, mapped, serialised), p99 < 100 ms. */
    public static WorkloadResult w7Bundle(Latencies latencies, Map<String, Object> details) {
        return new WorkloadResult("W7", 1, "FHIR Bundle of a 100-entry patient p99 (p50 in details)", "ms",
                latencies.p99Ms(), null, 100.0, Stats.ratio(latencies.p99Ms(), 100.0), null,
                "p99 < 100 ms", latencies.p99Ms() < 100.0, "limit = the target's bound", details);
    }

    /** W7: the FHIR bulk export's rate. No target (reported). */
    public static WorkloadResult w7BulkExport(double resourcesPerSecond, Map<String, Object> details) {
        return new WorkloadResult("W7", null, "FHIR bulk export (NDJSON, one clinic)", "resources/s",
                resourcesPerSecond, null, null, null, null, "none (reported)", null,
                "one job on its one thread, patient after patient through the patient read path", details);
    }

    /** W4 with the audit: the access log's sealing, beside the reads. No target (reported). */
    public static WorkloadResult w4AccessSealing(Double msPerThousandRecords, Map<String, Object> details) {
        return new WorkloadResult("W4", 1, "sealing the audited reads' access records (off the read path)",
                "ms per 1,000 records", msPerThousandRecords, null, null, null, null, "none (reported)", null,
                "the access log's sealer beside the reads: its transactions' time per record sealed", details);
    }
}
