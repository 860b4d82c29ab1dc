package org.treatmentledger.api.integrity;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.treatmentledger.api.embeddedpostgres.EmbeddedPostgresProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The tamper-evident log ({@code ledger.integrity.*}): keys, the sealer that follows the event store (the JDBC
 * event table, or Axon Server's event stream under the {@code axonserver} profile), and the
 * proofs and checks the endpoints serve. The algorithms (leaf encoding, RFC 9162, signed notes) are ledger-verify's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntegrityProperties.class)
@ConditionalOnProperty(name = "ledger.integrity.enabled", havingValue = "true", matchIfMissing = true)
public class IntegrityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IntegrityConfiguration.class);

    /** After the data source: the embedded store's data directory exists (initdb ran) before a key is put into it. */
    @Bean
    IntegrityKeys integrityKeys(IntegrityProperties properties, Environment environment, DataSource dataSource) {
        return IntegrityKeys.load(properties, EmbeddedPostgresProperties.generatedFile(environment, properties.generatedKey(),
                "ledger-signing-key.pem"));
    }

    @Bean
    TreeStore integrityTreeStore(JdbcTemplate jdbc) {
        return new TreeStore(jdbc);
    }

    /** The JDBC event table as the log's input (every profile but {@code axonserver}). */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false", matchIfMissing = true)
    SealSource jdbcSealSource(JdbcTemplate jdbc, TreeStore store) {
        return new JdbcSealSource(jdbc, store);
    }

    /**
     * Under the {@code axonserver} profile the events live in Axon Server and {@code domainevententry} stays empty:
     * the log follows Axon Server's event stream of the connection's default context instead (docs/INTEGRITY.md,
     * "Axon Server"). Each read waits at most the connector's connect timeout for an answer.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "true")
    SealSource axonServerSealSource(AxonServerConnectionManager connections, Environment environment) {
        Duration timeout = Duration.ofMillis(Math.max(1_000,
                environment.getProperty("axon.axonserver.connect-timeout", Long.class, 5_000L)));
        log.info("Ledger sealing follows Axon Server's event stream (context {})", connections.getDefaultContext());
        return new AxonServerSealSource(() -> connections.getConnection().eventChannel(), timeout);
    }

    @Bean
    Sealer integritySealer(JdbcTemplate jdbc, TreeStore store, SealSource source,
                           PlatformTransactionManager transactions, IntegrityKeys keys,
                           IntegrityProperties properties, ObjectProvider<MeterRegistry> meters) {
        return new Sealer(jdbc, store, source, new TransactionTemplate(transactions), keys, properties,
                meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
    }

    @Bean
    EvidenceService integrityEvidence(TreeStore store, SealSource source, IntegrityProperties properties) {
        return new EvidenceService(store, source, properties.evidenceWait());
    }

    @Bean
    StoreVerifier integrityStoreVerifier(DataSource dataSource, IntegrityKeys keys, SealSource source) {
        return new StoreVerifier(dataSource, keys, source);
    }
}
