package org.treatmentledger.api.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Several identical nodes on one PostgreSQL ({@code ledger.cluster.*}).
 *
 * @param heartbeatInterval   how often the node refreshes its heartbeat row (default 2 s; must stay well below
 *                            {@code axon.eventhandling.tokenstore.claim-timeout}, the liveness window)
 * @param deadNodeRetention   how long the row of a node not seen any more is kept before it is removed (default 1 h)
 * @param segments            segments each read model's processor is created with (default 1 for one node; deploy/ sets 4 for two replicas; only on first start)
 * @param commandRetries      re-sends of a command that lost a concurrent write to the same patient (default 3)
 * @param rebuildPollInterval how often every node looks for cluster-wide rebuild requests (default 1 s)
 * @param rebuildTimeout      a rebuild request still pending after this long is given up (default 2 min)
 */
@ConfigurationProperties("ledger.cluster")
public record ClusterProperties(Duration heartbeatInterval, Duration deadNodeRetention, Integer segments,
                                Integer commandRetries, Duration rebuildPollInterval, Duration rebuildTimeout) {

    public ClusterProperties {
        if (heartbeatInterval == null) heartbeatInterval = Duration.ofSeconds(2);
        if (deadNodeRetention == null) deadNodeRetention = Duration.ofHours(1);
        if (segments == null) segments = 4;
        if (commandRetries == null) commandRetries = 3;
        if (rebuildPollInterval == null) rebuildPollInterval = Duration.ofSeconds(1);
        if (rebuildTimeout == null) rebuildTimeout = Duration.ofMinutes(2);
        if (segments < 1) throw new IllegalArgumentException("ledger.cluster.segments must be at least 1");
        if (commandRetries < 0) throw new IllegalArgumentException("ledger.cluster.command-retries must not be negative");
    }
}
