package org.treatmentledger.api.embeddedpostgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The lock file a postmaster keeps in its data directory while it runs ({@code postmaster.pid}): its first lines
 * are the postmaster's PID, the data directory and its start time, then the port (PostgreSQL's
 * {@code LOCK_FILE_LINE_*}). PostgreSQL removes it on a clean shutdown; after a crash it stays behind.
 *
 * @param pid           the postmaster's process id
 * @param dataDirectory the data directory the postmaster was started on
 * @param port          its TCP port, or 0 when the file does not say (yet)
 */
record PostmasterPidFile(long pid, Path dataDirectory, int port) {

    static final String NAME = "postmaster.pid";

    /** Empty when there is no lock file, or when it is too short or garbled to say which process wrote it. */
    static Optional<PostmasterPidFile> read(Path dataDir) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve(NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (lines.size() < 2) return Optional.empty();
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = lines.size() >= 4 && !lines.get(3).isBlank() ? Integer.parseInt(lines.get(3).trim()) : 0;
            return pid > 0 ? Optional.of(new PostmasterPidFile(pid, Path.of(lines.get(1).trim()), port)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
