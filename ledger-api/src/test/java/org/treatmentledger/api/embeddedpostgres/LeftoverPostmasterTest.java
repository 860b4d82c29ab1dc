package org.treatmentledger.api.embeddedpostgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.io.OutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A PostgreSQL left serving our data directory is stopped; anything else named by a postmaster.pid is not.
 * (The whole crash-and-restart cycle of the packaged service is CrashRestartIT.)
 */
class LeftoverPostmasterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void a_postgresql_still_serving_our_directory_is_stopped() throws Exception {
        Path dir = tmp.resolve("ours");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            ProcessHandle postmaster = ProcessHandle.of(PostmasterPidFile.read(dir).orElseThrow().pid()).orElseThrow();

            assertThat(LeftoverPostmaster.stopIfServing(dir, TIMEOUT)).isEqualTo(LeftoverPostmaster.Outcome.STOPPED);

            assertThat(postmaster.isAlive()).isFalse();
            assertThat(dir.resolve(PostmasterPidFile.NAME)).doesNotExist();  // a clean shutdown, not a kill
        }
    }

    @Test
    void a_postgresql_serving_another_directory_is_left_alone() throws Exception {
        Path other = tmp.resolve("other");
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(other).setCleanDataDirectory(false)
                .setRegisterShutdownHook(false).start()) {
            long pid = PostmasterPidFile.read(other).orElseThrow().pid();

            // Our lock file names the other server's PID and port: a reused PID, or a file copied with a directory.
            Files.writeString(ours.resolve(PostmasterPidFile.NAME), pidFile(pid, ours, postgres.getPort()));
            assertThat(LeftoverPostmaster.stopIfServing(ours, TIMEOUT)).isEqualTo(LeftoverPostmaster.Outcome.NOT_OURS);
            Files.writeString(ours.resolve(PostmasterPidFile.NAME), pidFile(pid, other, postgres.getPort()));
            assertThat(LeftoverPostmaster.stopIfServing(ours, TIMEOUT)).isEqualTo(LeftoverPostmaster.Outcome.NOT_OURS);

            try (Connection c = postgres.getPostgresDatabase().getConnection();
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void a_lock_file_of_a_dead_process_is_left_to_postgresql() throws Exception {
        Process gone = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
        gone.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.writeString(tmp.resolve(PostmasterPidFile.NAME), pidFile(gone.pid(), tmp, 5432));

        assertThat(LeftoverPostmaster.stopIfServing(tmp, TIMEOUT)).isEqualTo(LeftoverPostmaster.Outcome.STALE);
        assertThat(tmp.resolve(PostmasterPidFile.NAME)).exists();
        assertThat(LeftoverPostmaster.stopIfServing(tmp.resolve("none"), TIMEOUT)).isEqualTo(LeftoverPostmaster.Outcome.NONE);
    }

    @Test
    void a_second_service_on_a_directory_in_use_is_refused() throws Exception {
        Files.writeString(tmp.resolve("PG_VERSION"), "17\n");
        try (PostmasterGuard first = new PostmasterGuard(); PostmasterGuard second = new PostmasterGuard()) {
            first.beforeStart(tmp);

            assertThatThrownBy(() -> second.beforeStart(tmp)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running service");
        }
        try (PostmasterGuard afterTheFirstStopped = new PostmasterGuard()) {
            afterTheFirstStopped.beforeStart(tmp);
        }
    }

    private static String pidFile(long pid, Path dataDir, int port) {
        return pid + "\n" + dataDir + "\n" + (System.currentTimeMillis() / 1000) + "\n" + port + "\n/tmp\nlocalhost\n  1  2\nready   \n";
    }
}
