package org.treatmentledger.api.cluster;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.AxonTables;

/**
 * Several identical nodes on one PostgreSQL without Axon Server: node id and heartbeat, segment spreading,
 * and token claims owned by the node id.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    @Bean
    NodeId nodeId(@Value("${ledger.node-id:}") String configured) {
        return new NodeId(configured);
    }

    @Bean
    NodeRegistry nodeRegistry(JdbcTemplate jdbc, AxonTables axonTables, NodeId nodeId, ClusterProperties properties,
                              TokenStoreProperties tokenStore) {
        return new NodeRegistry(jdbc, axonTables, nodeId, properties, tokenStore.getClaimTimeout());
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

}
