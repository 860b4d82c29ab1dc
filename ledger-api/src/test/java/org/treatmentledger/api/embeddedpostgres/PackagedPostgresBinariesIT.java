package org.treatmentledger.api.embeddedpostgres;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar carries a PostgreSQL for every common platform, and nothing more: a missing one means the
 * service cannot start there; an extra one is tens of MB in every download.
 */
class PackagedPostgresBinariesIT {

    @Test
    void the_packaged_jar_bundles_exactly_the_common_platforms_binaries() throws IOException {
        Path jar = Path.of(System.getProperty("ledger.jar", "target/ledger-api.jar"));
        List<String> packaged = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (ZipEntry lib : file.stream().filter(e -> e.getName().startsWith("BOOT-INF/lib/")).toList()) {
                try (InputStream in = file.getInputStream(lib); ZipInputStream nested = new ZipInputStream(in)) {
                    for (ZipEntry e = nested.getNextEntry(); e != null; e = nested.getNextEntry()) {
                        if (e.getName().startsWith("postgres-") && e.getName().endsWith(".txz")) packaged.add(e.getName());
                    }
                }
            }
        }

        assertThat(packaged).containsExactlyInAnyOrderElementsOf(EmbeddedPostgresBinaries.BUNDLED);
        // What zonky asks the resolver for on each (os.name, os.arch as zonky passes it, Linux distribution).
        assertThat(List.of(
                EmbeddedPostgresBinaries.resourceFor("Linux", "x86_64", "Ubuntu"),
                EmbeddedPostgresBinaries.resourceFor("Linux", "aarch64", "Debian"),
                EmbeddedPostgresBinaries.resourceFor("Darwin", "x86_64", null),
                EmbeddedPostgresBinaries.resourceFor("Darwin", "aarch64", null),
                EmbeddedPostgresBinaries.resourceFor("Windows", "x86_64", null)))
                .allSatisfy(resource -> assertThat(packaged).contains(resource));
    }
}
