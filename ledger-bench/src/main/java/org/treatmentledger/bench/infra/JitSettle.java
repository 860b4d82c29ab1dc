package org.treatmentledger.bench.infra;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warms a contender up until the JIT has settled: rounds of its workload run until the compilers spent less than
 * {@code share} of a round's wall time compiling, or until {@code max} has passed. A measurement window that opens
 * while the compilers still run measures the JIT as well: on two cores, W1's first window of the service once had
 * its compiler threads at half of the JVM's CPU. A service runs for days, so the targets are about the settled code.
 */
public final class JitSettle {

    /** One round of the contender's workload. */
    @FunctionalInterface
    public interface Round {
        void run() throws Exception;
    }

    /** What the warm-up took: rounds, seconds, and the compilers' share of the last round's wall time. */
    public record Result(int rounds, double seconds, double lastRoundCompileShare, boolean settled) {
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", rounds);
            m.put("seconds", seconds);
            m.put("lastRoundCompileShare", lastRoundCompileShare);
            m.put("settled", settled);
            return m;
        }
    }

    private JitSettle() {
    }

    public static Result run(Duration max, double share, Round round) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        int rounds = 0;
        double last = Double.NaN;
        while (true) {
            long compiled = measurable ? jit.getTotalCompilationTime() : 0;
            long t0 = System.nanoTime();
            round.run();
            rounds++;
            double wallMillis = (System.nanoTime() - t0) / 1e6;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!measurable) return new Result(rounds, seconds, Double.NaN, false);
            last = (jit.getTotalCompilationTime() - compiled) / wallMillis;
            if (last < share) return new Result(rounds, seconds, last, true);
            if (System.nanoTime() - start >= max.toNanos()) return new Result(rounds, seconds, last, false);
        }
    }
}
