package org.treatmentledger.api.monitoring;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With the axonserver profile: health component "axonServerConnection", DOWN with a plain reason while the
 * connector has no connection (writes then answer 503 quickly, see LedgerGateway).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
public class AxonServerHealthConfiguration {

    @Bean
    HealthIndicator axonServerConnection(AxonServerConnectionManager connections, AxonServerConfiguration configuration) {
        return () -> {
            String context = configuration.getContext();
            boolean connected = connections.isConnected(context);
            Health.Builder health = connected ? Health.up() : Health.down()
                    .withDetail("reason", "No connection to Axon Server; commands, events and queries are unavailable");
            return health.withDetail("servers", configuration.getServers()).withDetail("context", context).build();
        };
    }
}
