package org.treatmentledger.bench.contenders;

import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * "Ours": the service as deployed. Starts ledger-api's own Spring Boot application class in-process, with its
 * own application properties and Flyway migrations; the bench only points the datasource at the bench
 * database, turns the service's embedded PostgreSQL off (the run has one server for everybody) and puts the
 * web server on a random port.
 */
public final class Ours {

    /** The service's application class (ledger-api). */
    public static final String APPLICATION_CLASS = "org.treatmentledger.api.LedgerApplication";

    /** Keeps JPA out of the service's context: only the peer may have it, and only on the bench classpath. */
    static final List<String> EXCLUDED_AUTOCONFIG = List.of(
            "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration",
            "org.axonframework.springboot.autoconfig.JpaAutoConfiguration",
            "org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration",
            "org.axonframework.springboot.autoconfig.legacyjpa.JpaJavaxAutoConfiguration",
            "org.axonframework.springboot.autoconfig.legacyjpa.JpaJavaxEventStoreAutoConfiguration");

    private Ours() { }

    public static AxonContender start(String jdbcUrl, String user, List<String> extraArgs) throws ClassNotFoundException {
        Class<?> app;
        try {
            app = Class.forName(APPLICATION_CLASS);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException(APPLICATION_CLASS + " is not on the classpath: ledger-api was packaged as"
                    + " its executable jar. Build with: ./mvnw -q -Pbench -pl ledger-bench -am clean package -DskipTests", e);
        }
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=" + user,
                "--ledger.embedded-postgres.enabled=false",
                // Demo users and a generated key on an external database: development mode (ProductionModeGuard).
                "--ledger.security.mode=development",
                "--server.port=0",
                "--spring.autoconfigure.exclude=" + String.join(",", EXCLUDED_AUTOCONFIG),
                "--logging.level.root=WARN",
                // The generated checkpoint signing key goes to a temporary file, not ./data of the working directory.
                "--ledger.integrity.generated-key=" + generatedKeyFile(),
                "--ledger.erasure.generated-kek=" + generatedKeyFile().replace("ledger-signing-key.pem", "ledger-erasure-kek")));
        args.addAll(extraArgs);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(app)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("benchPackagesExcluded", new BenchPackagesExcluded()))
                .run(args.toArray(String[]::new));
        return new AxonContender("ours", context);
    }

    private static String generatedKeyFile() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ledger-bench-key");
            dir.toFile().deleteOnExit();
            return dir.resolve("ledger-signing-key.pem").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The service scans org.treatmentledger; the bench's own classes (the peer's configuration above all)
     * live below it and must stay out of the service's context. Spring Boot's TypeExcludeFilter consults
     * beans of this type during component scanning.
     */
    static final class BenchPackagesExcluded extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            return reader.getClassMetadata().getClassName().startsWith("org.treatmentledger.bench.");
        }

        @Override
        public boolean equals(Object o) { return o instanceof BenchPackagesExcluded; }

        @Override
        public int hashCode() { return BenchPackagesExcluded.class.hashCode(); }
    }
}
