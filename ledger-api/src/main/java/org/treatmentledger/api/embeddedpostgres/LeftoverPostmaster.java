package org.treatmentledger.api.embeddedpostgres;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL that still serves our data directory although no service owns it: the embedded server of a JVM
 * that was killed (SIGKILL, the OOM killer, a crashed host process) before it could stop it. Left running, it holds
 * the directory and every later start fails with "lock file postmaster.pid already exists".
 * <p>
 * Only called while this JVM holds the data directory's owner lock ({@link PostmasterGuard}), so no running service
 * uses that PostgreSQL. It is stopped with a fast shutdown (what the service's own stop does) only when it is proven
 * to be ours: the PID in our {@code postmaster.pid} is alive and is a postgres serving this very directory, as the
 * server itself answers or, if it does not answer, as its command line says. Anything else is left alone: a stale
 * lock file of a dead process is PostgreSQL's own business, which replaces it on start.
 */
final class LeftoverPostmaster {

    enum Outcome { NONE, STALE, NOT_OURS, STOPPED }

    private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("windows");

    private LeftoverPostmaster() {
    }

    static Outcome stopIfServing(Path dataDir, Duration timeout) throws IOException {
        Optional<PostmasterPidFile> found = PostmasterPidFile.read(dataDir);
        if (found.isEmpty()) {
            if (Files.exists(dataDir.resolve(PostmasterPidFile.NAME))) {
                log.warn("{} in {} names no process; PostgreSQL decides whether it is stale", PostmasterPidFile.NAME, dataDir);
            }
            return Outcome.NONE;
        }
        PostmasterPidFile pidFile = found.get();
        Optional<ProcessHandle> process = ProcessHandle.of(pidFile.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.info("Found {} of PID {}, which is no longer running (the last run ended without a clean PostgreSQL "
                    + "shutdown); PostgreSQL replaces the stale lock and recovers from its WAL", PostmasterPidFile.NAME, pidFile.pid());
            return Outcome.STALE;
        }
        if (!servesDirectory(pidFile, process.get(), dataDir)) {
            log.warn("{} in {} names PID {}, which is running but is not a PostgreSQL serving this directory: left alone",
                    PostmasterPidFile.NAME, dataDir, pidFile.pid());
            return Outcome.NOT_OURS;
        }
        log.warn("Found the embedded PostgreSQL of an earlier run still serving {} (PID {}, port {}): its service ended "
                + "without stopping it. Stopping it with a fast shutdown before starting ours", dataDir, pidFile.pid(), pidFile.port());
        long started = System.nanoTime();
        stop(process.get(), dataDir, timeout);
        log.info("Stopped the leftover PostgreSQL (PID {}) in {} ms", pidFile.pid(), (System.nanoTime() - started) / 1_000_000);
        return Outcome.STOPPED;
    }

    private static boolean servesDirectory(PostmasterPidFile pidFile, ProcessHandle process, Path dataDir) {
        if (!sameDirectory(pidFile.dataDirectory(), dataDir)) return false;
        return answersFor(pidFile.port(), dataDir) || commandLineNames(process, dataDir);
    }

    /** The server on that port says it serves dataDir (initdb -A trust: the superuser needs no password locally). */
    private static boolean answersFor(int port, Path dataDir) {
        if (port <= 0) return false;
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", props);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show data_directory")) {
            return rs.next() && sameDirectory(Path.of(rs.getString(1)), dataDir);
        } catch (SQLException e) {
            return false;
        }
    }

    /** For a server that does not answer (starting, recovering, shutting down): a postgres started with -D dataDir. */
    private static boolean commandLineNames(ProcessHandle process, Path dataDir) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        String[] args = info.arguments().orElse(new String[0]);
        for (int i = 0; postgres && i + 1 < args.length; i++) {
            if (args[i].equals("-D") && sameDirectory(Path.of(args[i + 1]), dataDir)) return true;
        }
        return false;
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void stop(ProcessHandle postmaster, Path dataDir, Duration timeout) throws IOException {
        Optional<Path> pgCtl = pgCtlOf(postmaster);
        List<String> command;
        if (pgCtl.isPresent()) {
            command = pgCtlStop(pgCtl.get(), dataDir, timeout);
        } else if (!WINDOWS) {
            // SIGINT is PostgreSQL's fast shutdown, what pg_ctl -m fast sends.
            command = List.of("kill", "-INT", Long.toString(postmaster.pid()));
        } else {
            throw new IllegalStateException("PostgreSQL (PID " + postmaster.pid() + ") still serves " + dataDir
                    + " and its pg_ctl cannot be found; stop it (pg_ctl -D \"" + dataDir + "\" stop -m fast) and start again");
        }
        run(pgCtl.isPresent() ? "pg_ctl" : "kill", command);
        try {
            postmaster.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The leftover PostgreSQL (PID " + postmaster.pid() + ") serving " + dataDir
                    + " did not stop within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the leftover PostgreSQL to stop", e);
        }
    }

    /** The pg_ctl next to the running postgres executable: the binaries that server was started from. */
    static Optional<Path> pgCtlOf(ProcessHandle postmaster) {
        return postmaster.info().command()
                .map(Path::of)
                .map(exe -> exe.resolveSibling(WINDOWS ? "pg_ctl.exe" : "pg_ctl"))
                .filter(Files::isExecutable);
    }

    /**
     * {@code pg_ctl stop -m fast -w}, run the way zonky runs pg_ctl: as root on Linux through {@code unshare -U},
     * since pg_ctl refuses to run as root.
     */
    static List<String> pgCtlStop(Path pgCtl, Path dataDir, Duration timeout) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) command.addAll(List.of("unshare", "-U"));
        command.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "stop", "-m", "fast", "-w",
                "-t", Long.toString(Math.max(1, timeout.toSeconds()))));
        return command;
    }

    private static void run(String label, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (!line.isBlank()) log.info("{}: {}", label, line);
            }
        }
        try {
            int rc = process.waitFor();
            if (rc != 0) log.warn("{} exited with {}", command, rc);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
