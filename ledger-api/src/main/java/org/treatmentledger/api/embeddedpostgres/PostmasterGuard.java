package org.treatmentledger.api.embeddedpostgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps the embedded PostgreSQL from outliving its service, and a leftover one from blocking the next start.
 * <ul>
 *   <li>An owner lock ({@value #LOCK_FILE} in the data directory, an OS file lock that dies with this process):
 *       while it is held, a second service on the same directory is refused, and a running PostgreSQL found there
 *       without a lock holder is known to be a leftover.</li>
 *   <li>Before the start, a leftover PostgreSQL still serving the directory is stopped ({@link LeftoverPostmaster}).</li>
 *   <li>After the start, a watchdog stops PostgreSQL if this JVM dies ({@link PostmasterWatchdog}).</li>
 * </ul>
 * A bean of its own that the embedded server depends on, so Spring closes it after the server: the watchdog stays
 * armed until PostgreSQL is stopped.
 */
public final class PostmasterGuard implements AutoCloseable {

    static final String LOCK_FILE = "ledger-owner.lock";
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(PostmasterGuard.class);

    private FileChannel lockChannel;
    private FileLock lock;
    private PostmasterWatchdog watchdog;

    /** Takes the owner lock and stops a leftover server. A new directory has neither (initdb needs it empty). */
    synchronized void beforeStart(Path dataDir) throws IOException {
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) return;
        lock(dataDir);
        LeftoverPostmaster.stopIfServing(dataDir, STOP_TIMEOUT);
    }

    /** Once our server runs: the owner lock (if the directory was new) and the watchdog. */
    synchronized void afterStart(Path dataDir) throws IOException {
        if (lock == null) lock(dataDir);
        Optional<ProcessHandle> postmaster = PostmasterPidFile.read(dataDir).flatMap(p -> ProcessHandle.of(p.pid()));
        if (postmaster.isEmpty()) {
            log.warn("No watchdog for the embedded PostgreSQL: no running postmaster named in {}", dataDir.resolve(PostmasterPidFile.NAME));
            return;
        }
        watchdog = PostmasterWatchdog.start(dataDir, postmaster.get(), STOP_TIMEOUT).orElse(null);
    }

    private void lock(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;  // held by another service in this JVM
        }
        if (taken == null) {
            channel.close();
            throw new IllegalStateException("The embedded PostgreSQL's data directory " + dataDir + " is in use by another "
                    + "running service; stop that one, or give this one its own ledger.embedded-postgres.data-dir");
        }
        lockChannel = channel;
        lock = taken;
    }

    @Override
    public synchronized void close() throws IOException {
        if (watchdog != null) {
            watchdog.disarm();
            watchdog = null;
        }
        if (lockChannel != null) {
            lockChannel.close();  // releases the lock
            lockChannel = null;
            lock = null;
        }
    }
}
