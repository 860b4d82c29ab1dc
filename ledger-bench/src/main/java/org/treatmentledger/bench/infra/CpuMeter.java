package org.treatmentledger.bench.infra;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time and WAL written over a stretch of work: this JVM's CPU, the bench PostgreSQL's CPU (the postmaster
 * serving the port and every process under it, read from /proc) and the WAL bytes. Unlike throughput on a shared
 * two-core machine, work per command barely moves when other processes load the machine, so it shows what a
 * change costs even when the wall-clock numbers are noise. Linux only; elsewhere the PostgreSQL part reads 0.
 */
public final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final int port;
    private final DataSource anyDatabase;

    public CpuMeter(int port, DataSource anyDatabase) {
        this.port = port;
        this.anyDatabase = anyDatabase;
    }

    /** A reading; the difference of two readings is the work between them. */
    public record Reading(double jvmCpuSeconds, double postgresCpuSeconds, long walBytes, long transactions,
                          Map<String, Double> threadCpuSeconds) {
        public Reading minus(Reading earlier) {
            Map<String, Double> threads = new TreeMap<>(threadCpuSeconds);
            earlier.threadCpuSeconds.forEach((k, v) -> threads.merge(k, -v, Double::sum));
            return new Reading(jvmCpuSeconds - earlier.jvmCpuSeconds, postgresCpuSeconds - earlier.postgresCpuSeconds,
                    walBytes - earlier.walBytes, transactions - earlier.transactions, threads);
        }
    }

    /**
     * CPU of this JVM's live threads, by name with the digits taken out (a pool's threads together). On Linux read
     * from /proc/self/task, so the JVM's own threads (GC, JIT compilers) count too; their names are cut to 15
     * characters there. Threads that ended before the reading (the clients') are in the JVM's total only.
     */
    private static Map<String, Double> threadCpu() {
        Map<String, Double> byName = new TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (Files.isDirectory(tasks)) {
            try (Stream<Path> all = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) all::iterator) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim();
                        String s = Files.readString(task.resolve("stat"));
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                        if (seconds > 0) byName.merge(name.replaceAll("[0-9]+", "N"), seconds, Double::sum);
                    } catch (IOException | RuntimeException gone) {
                        // The thread ended meanwhile.
                    }
                }
                return byName;
            } catch (IOException e) {
                byName.clear();
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) return byName;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) continue;
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) byName.merge(info.getThreadName().replaceAll("[0-9]+", "N"), nanos / 1e9, Double::sum);
        }
        return byName;
    }

    public Reading read() {
        double jvm = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            jvm = os.getProcessCpuTime() / 1e9;
        }
        long[] wal = walAndTransactions();
        return new Reading(jvm, postgresCpuSeconds(), wal[0], wal[1], threadCpu());
    }

    /** The WAL insert position and the committed transactions of the measured database (its statistics are
     * flushed at most a second late, which a window of many seconds absorbs). */
    private long[] walAndTransactions() {
        try (Connection c = anyDatabase.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint,"
                    + " (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())")) {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }
        } catch (SQLException e) {
            return new long[]{0, 0};
        }
    }

    private double postgresCpuSeconds() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) return 0;
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> all = Files.list(proc)) {
            all.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmd.contains("postgres") && cmd.contains("-p " + port + " ")) pids.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException | RuntimeException gone) {
                    // The process ended meanwhile.
                }
            });
        } catch (IOException e) {
            return 0;
        }
        double seconds = 0;
        for (long postmaster : pids) {
            // The postmaster with its children's CPU (cutime, cstime: backends that ended) plus its live children.
            seconds += ticks(postmaster, true);
            try (Stream<Path> all = Files.list(proc)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    long[] stat = stat(Long.parseLong(name));
                    if (stat != null && stat[0] == postmaster) seconds += ticks(Long.parseLong(name), false);
                }
            } catch (IOException e) {
                return seconds;
            }
        }
        return seconds;
    }

    private static double ticks(long pid, boolean withEndedChildren) {
        long[] stat = stat(pid);
        if (stat == null) return 0;
        long ticks = stat[1] + stat[2] + (withEndedChildren ? stat[3] + stat[4] : 0);
        return ticks / TICKS_PER_SECOND;
    }

    /** ppid, utime, stime, cutime, cstime of a process, or null when it is gone. */
    private static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
            return new long[]{Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]),
                    Long.parseLong(f[13]), Long.parseLong(f[14])};
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }
}
