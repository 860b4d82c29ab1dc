package org.treatmentledger.api.embeddedpostgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops the embedded PostgreSQL when this JVM is gone, however it went (SIGKILL and the OOM killer run no shutdown
 * hook). pg_ctl starts the postmaster as a daemon of its own, so nothing else ends it with the JVM.
 * <p>
 * The watchdog is a {@code /bin/sh} child that blocks reading a pipe whose only writer is this JVM. The kernel closes
 * that pipe when the JVM dies; the read then ends without the word {@code disarm}, and the shell runs
 * {@code pg_ctl stop -m fast} on the data directory. No polling and no PID that could be reused: pg_ctl acts on the
 * directory's own postmaster.pid. An orderly stop writes {@code disarm} after PostgreSQL is stopped.
 * It ignores SIGINT and SIGHUP, which a terminal's Ctrl-C or hang-up sends to the whole foreground group, so it is
 * still there if the JVM's own shutdown is cut short. Not on Windows (no POSIX shell): there the next start stops the
 * leftover server ({@link LeftoverPostmaster}).
 */
final class PostmasterWatchdog {

    private static final Logger log = LoggerFactory.getLogger(PostmasterWatchdog.class);
    private static final Path SH = Path.of("/bin/sh");
    private static final String SCRIPT = """
            trap '' INT HUP
            read -r word
            [ "$word" = disarm ] && exit 0
            echo "ledger watchdog: the service's JVM is gone; stopping its embedded PostgreSQL (fast shutdown)" >&2
            exec "$@"
            """;

    private final Process process;

    private PostmasterWatchdog(Process process) {
        this.process = process;
    }

    /** Empty where there is no POSIX shell or the postmaster's pg_ctl cannot be found; logged, never fatal. */
    static Optional<PostmasterWatchdog> start(Path dataDir, ProcessHandle postmaster, Duration stopTimeout) {
        if (!Files.isExecutable(SH)) {
            log.info("No watchdog for the embedded PostgreSQL on this system (no {}): if this JVM is killed, the next "
                    + "start stops the PostgreSQL it leaves behind", SH);
            return Optional.empty();
        }
        Optional<Path> pgCtl = LeftoverPostmaster.pgCtlOf(postmaster);
        if (pgCtl.isEmpty()) {
            log.warn("No watchdog for the embedded PostgreSQL: pg_ctl of PID {} not found", postmaster.pid());
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of(SH.toString(), "-c", SCRIPT, "ledger-postgres-watchdog"));
        command.addAll(LeftoverPostmaster.pgCtlStop(pgCtl.get(), dataDir, stopTimeout));
        try {
            // Its output joins the service's own (a closed pipe to a dead JVM would cut pg_ctl short).
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            log.info("Embedded PostgreSQL watchdog started (PID {}): stops PostgreSQL (PID {}) if this JVM dies",
                    process.pid(), postmaster.pid());
            return Optional.of(new PostmasterWatchdog(process));
        } catch (IOException e) {
            log.warn("No watchdog for the embedded PostgreSQL: {}", e.toString());
            return Optional.empty();
        }
    }

    /** After an orderly stop of PostgreSQL: the watchdog exits without doing anything. */
    void disarm() {
        try (OutputStream in = process.getOutputStream()) {
            in.write("disarm\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // It is gone already.
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
