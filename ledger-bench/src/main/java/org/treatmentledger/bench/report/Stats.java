package org.treatmentledger.bench.report;

import java.util.Arrays;

/** Percentiles and medians of latency samples. Nearest-rank percentiles: every reported value was observed. */
public final class Stats {

    private Stats() { }

    /** The p-th percentile (0 < p <= 100) by nearest rank: the smallest sample with at least p% of samples at or below it. */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** The median; for an even count, the mean of the two middle samples. */
    public static double median(double[] samples) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Nanoseconds to milliseconds, element by element. */
    public static double[] nanosToMillis(long[] nanos) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) ms[i] = nanos[i] / 1_000_000.0;
        return ms;
    }

    public static double[] first(double[] samples, int count) {
        return Arrays.copyOfRange(samples, 0, Math.min(count, samples.length));
    }

    public static double[] last(double[] samples, int count) {
        return Arrays.copyOfRange(samples, Math.max(0, samples.length - count), samples.length);
    }

    /** a / b, or null when either is missing or b is zero. */
    public static Double ratio(Double a, Double b) {
        if (a == null || b == null || b == 0.0) return null;
        return a / b;
    }
}
