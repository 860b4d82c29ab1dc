package org.treatmentledger.api.cluster;

import org.treatmentledger.api.eventstore.DuplicateKeyResolver;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.LedgerAxonProperties;
import org.treatmentledger.projections.ReadModels;

/**
 * Several identical nodes on one PostgreSQL without Axon Server: node id and heartbeat, segment spreading,
 * token claims owned by the node id, and duplicate-key detection for concurrent appends.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    @Bean
    NodeId nodeId(@Value("${ledger.node-id:}") String configured) {
        return new NodeId(configured);
    }

    @Bean
    NodeRegistry nodeRegistry(JdbcTemplate jdbc, NodeId nodeId, ClusterProperties properties,
                              TokenStoreProperties tokenStore) {
        return new NodeRegistry(jdbc, nodeId, properties, tokenStore.getClaimTimeout());
    }

    @Bean
    SegmentBalancer segmentBalancer(NodeRegistry nodes, ClusterProperties properties) {
        return new SegmentBalancer(nodes, properties.segments());
    }

    /**
     * Axon's JDBC token store, but owned by {@code ledger.node-id}: its default owner (pid@host) is the same for
     * two application contexts in one JVM, which would let them steal each other's claims.
     */
    @Bean
    TokenStore tokenStore(ConnectionProvider connectionProvider, Serializer serializer,
                          TokenStoreProperties tokenStoreProperties, NodeId nodeId) {
        return JdbcTokenStore.builder()
                .connectionProvider(connectionProvider)
                .schema(TokenSchema.builder().build()) // tokenentry, as created by V3
                .serializer(serializer)
                .claimTimeout(tokenStoreProperties.getClaimTimeout())
                .nodeId(nodeId.value())
                .contentType(byte[].class)
                .build();
    }

    /** PostgreSQL's unique violation (23505) on the event table becomes Axon's ConcurrencyException. */
    @Bean
    @Primary
    PersistenceExceptionResolver duplicateKeyResolver() {
        return new DuplicateKeyResolver();
    }

    /**
     * Makes every read model's processor a pooled streaming one with the ledger's batch size, claim interval
     * and segment count. Needed because Axon's Spring Boot auto-configuration registers any processor named
     * under {@code axon.eventhandling.processors.<group>} (the read models are, for their dead-letter queues)
     * as a TRACKING processor unless its mode is set, and its per-processor settings (batch size 1, 16 segments)
     * override the defaults configured in code.
     */
    @Bean
    static BeanPostProcessor readModelsArePooled(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EventProcessorProperties processors) {
                    Binder binder = Binder.get(environment);
                    LedgerAxonProperties axon = binder.bind("ledger.axon", LedgerAxonProperties.class)
                            .orElseGet(() -> new LedgerAxonProperties(null, null, null, null, null, null, null, null, null, null, null, null));
                    ClusterProperties cluster = binder.bind("ledger.cluster", ClusterProperties.class)
                            .orElseGet(() -> new ClusterProperties(null, null, null, null, null, null));
                    // The processor all read models share, and the groups' own keys (they carry the groups'
                    // dead-letter settings; Axon would otherwise also register a tracking processor per key).
                    pooled(processors.getProcessors().computeIfAbsent(ReadModels.PROCESSOR,
                            p -> new EventProcessorProperties.ProcessorSettings()), axon, cluster);
                    for (String group : ReadModels.PROCESSING_GROUPS) {
                        pooled(processors.getProcessors().computeIfAbsent(group, g -> new EventProcessorProperties.ProcessorSettings()),
                                axon, cluster);
                    }
                }
                return bean;
            }
        };
    }

    static void pooled(EventProcessorProperties.ProcessorSettings settings, LedgerAxonProperties axon,
                       ClusterProperties cluster) {
        // Only Axon's defaults are replaced; whatever an operator set explicitly stays.
        if (settings.getMode() == EventProcessorProperties.Mode.TRACKING) {
            settings.setMode(EventProcessorProperties.Mode.POOLED);
        }
        if (settings.getInitialSegmentCount() == null) settings.setInitialSegmentCount(cluster.segments());
        if (settings.getBatchSize() == 1) settings.setBatchSize(axon.processorBatchSize());
        if (settings.getTokenClaimInterval() == 5000) {
            settings.setTokenClaimInterval(axon.tokenClaimInterval().toMillis());
            settings.setTokenClaimIntervalTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }
}
