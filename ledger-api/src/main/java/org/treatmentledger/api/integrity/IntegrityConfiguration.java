package org.treatmentledger.api.integrity;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The tamper-evident log ({@code ledger.integrity.*}): keys, the sealer that follows the JDBC event store, and the
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
        String generated = properties.generatedKey();
        if (generated == null || generated.isBlank()) {
            generated = Path.of(environment.getProperty("ledger.embedded-postgres.data-dir", "./data"))
                    .resolve("ledger-signing-key.pem").toString();
        }
        return IntegrityKeys.load(properties, Path.of(generated));
    }

    @Bean
    TreeStore integrityTreeStore(JdbcTemplate jdbc) {
        return new TreeStore(jdbc);
    }

    /**
     * The sealer follows domainevententry. With Axon Server as the event store that table stays empty, and the
     * sealer would have to follow Axon Server's event stream instead (docs/INTEGRITY.md, "Axon Server"): not built.
     */
    @Bean
    Sealer integritySealer(JdbcTemplate jdbc, TreeStore store, PlatformTransactionManager transactions,
                           IntegrityKeys keys, IntegrityProperties properties, ObjectProvider<MeterRegistry> meters,
                           Environment environment) {
        Sealer sealer = new Sealer(jdbc, store, new TransactionTemplate(transactions), keys, properties,
                meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
        if (environment.getProperty("axon.axonserver.enabled", Boolean.class, false)) {
            log.warn("LEDGER NOT SEALED: the event store is Axon Server, and the sealer follows only the JDBC event "
                    + "store; no checkpoint covers the events (docs/INTEGRITY.md, \"Axon Server\").");
            sealer.pause(true);
        }
        return sealer;
    }

    @Bean
    EvidenceService integrityEvidence(TreeStore store, IntegrityProperties properties) {
        return new EvidenceService(store, properties.evidenceWait());
    }

    @Bean
    StoreVerifier integrityStoreVerifier(DataSource dataSource, IntegrityKeys keys) {
        return new StoreVerifier(dataSource, keys);
    }
}
