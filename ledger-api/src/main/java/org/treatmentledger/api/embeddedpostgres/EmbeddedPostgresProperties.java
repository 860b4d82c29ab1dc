package org.treatmentledger.api.embeddedpostgres;

import org.springframework.boot.context.properties.ConfigurationProperties;

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
}
