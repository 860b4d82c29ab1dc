package org.treatmentledger.api.embeddedpostgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every common platform finds its PostgreSQL archive on the runtime classpath, as zonky resolves it through
 * {@link EmbeddedPostgresBinaries}. (PackagedPostgresBinariesIT checks the packaged jar holds exactly these.)
 */
class EmbeddedPostgresBinariesTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(nullValues = "-", value = {
            // zonky passes x86_64 for amd64 and os.arch otherwise; the distribution as lsb_release/os-release name it
            "Linux,   x86_64,  Ubuntu",
            "Linux,   x86_64,  Debian",
            "Linux,   x86_64,  Fedora Linux",
            "Linux,   x86_64,  -",
            "Linux,   aarch64, Ubuntu",
            "Linux,   aarch64, Debian",
            "Darwin,  x86_64,  -",
            "Darwin,  aarch64, -",
            "Windows, x86_64,  -",
            "Windows, aarch64, -",
    })
    void a_common_platform_finds_its_archive_on_the_classpath(String system, String arch, String distribution) {
        String resource = EmbeddedPostgresBinaries.resourceFor(system, arch, distribution);

        assertThat(EmbeddedPostgresBinaries.BUNDLED).contains(resource);
        assertThat(getClass().getClassLoader().getResource(resource)).as(resource).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({"x86_64", "aarch64"})
    void alpine_asks_for_a_musl_build_which_is_not_bundled(String arch) {
        String resource = EmbeddedPostgresBinaries.resourceFor("Linux", arch, "Alpine Linux");

        assertThat(resource).endsWith("-alpine_linux.txz");
        assertThat(getClass().getClassLoader().getResource(resource)).isNull();
    }
}
