package org.treatmentledger.api.embeddedpostgres;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.env.Environment;

import java.nio.file.Path;

/**
 * The embedded PostgreSQL started when no {@code spring.datasource.url} is configured.
 *
 * @param enabled  start it at all (default true; ignored when spring.datasource.url is set)
 * @param dataDir  where the cluster lives; kept across restarts (default ./data)
 * @param port     TCP port on localhost; 0 picks a free port at every start (default 0)
 */
@ConfigurationProperties("ledger.embedded-postgres")
public record EmbeddedPostgresProperties(Boolean enabled, String dataDir, Integer port) {
    public EmbeddedPostgresProperties {
        if (enabled == null) enabled = true;
        if (dataDir == null || dataDir.isBlank()) dataDir = "./data";
        if (port == null) port = 0;
    }

    /**
     * Where a file the service generates on first start goes (the checkpoint signing key, the erasure KEK):
     * {@code configured} when set, otherwise {@code fileName} in the embedded store's data directory.
     */
    public static Path generatedFile(Environment environment, String configured, String fileName) {
        if (configured != null && !configured.isBlank()) return Path.of(configured);
        return Path.of(environment.getProperty("ledger.embedded-postgres.data-dir", "./data")).resolve(fileName);
    }
}
