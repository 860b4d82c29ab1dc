package org.treatmentledger.bench.workloads;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the JVM's used heap (MemoryMXBean) and resident set size (/proc/self/status VmRSS) at a fixed rate
 * during a phase, and keeps the peaks. The process hosts the service and the yardsticks alike.
 */
public final class MemorySampler implements AutoCloseable {

    public static final long PERIOD_MS = 20;
    private static final Path STATUS = Path.of("/proc/self/status");

    public record Peak(String phase, double heapMiB, double rssMiB, double gcSeconds, int samples) {
        public Map<String, Object> details() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("samplePeriodMs", PERIOD_MS);
            m.put("samples", samples);
            m.put("gcSecondsDuringPhase", gcSeconds);
            m.put("maxHeapMiB", Runtime.getRuntime().maxMemory() / 1048576.0);
            return m;
        }
    }

    private final String phase;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private final long gcAtStart;
    private volatile boolean running = true;
    private volatile long peakHeap;
    private volatile long peakRss;
    private volatile int samples;

    private MemorySampler(String phase) {
        this.phase = phase;
        this.gcAtStart = gcMillis();
        this.thread = new Thread(this::loop, "bench-memory-" + phase);
        thread.setDaemon(true);
        thread.start();
    }

    public static MemorySampler start(String phase) { return new MemorySampler(phase); }

    private void loop() {
        while (running) {
            sample();
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long heap = memory.getHeapMemoryUsage().getUsed();
        if (heap > peakHeap) peakHeap = heap;
        long rss = statusKb("VmRSS:") * 1024;
        if (rss > peakRss) peakRss = rss;
        samples++;
    }

    public Peak stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        return new Peak(phase, peakHeap / 1048576.0, peakRss / 1048576.0, (gcMillis() - gcAtStart) / 1000.0, samples);
    }

    @Override
    public void close() { stop(); }

    /** A /proc/self/status field in kB (e.g. "VmHWM:"), or -1 where there is none (not Linux). */
    public static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) total += Math.max(0, gc.getCollectionTime());
        return total;
    }
}
