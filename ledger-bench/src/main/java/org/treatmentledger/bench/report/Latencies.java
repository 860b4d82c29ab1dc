package org.treatmentledger.bench.report;

/** p50 and p99 of one contender's latencies, in milliseconds, with the sample count. */
public record Latencies(double p50Ms, double p99Ms, int count) {

    public static Latencies of(double[] millis) {
        return new Latencies(Stats.percentile(millis, 50), Stats.percentile(millis, 99), millis.length);
    }
}
