package org.treatmentledger.api.consistency;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.PatientEventTable;

import java.time.Duration;
import javax.sql.DataSource;

/** Reads that see the caller's writes, and the commit wake-ups that make them fast (see {@link ReadYourWrites}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadYourWritesProperties.class)
public class ReadYourWritesConfiguration {

    /** Every node says it is here this often; one not heard for {@link #PRESENCE_WINDOW} is taken to be gone. */
    static final Duration PRESENCE_INTERVAL = Duration.ofSeconds(2);
    static final Duration PRESENCE_WINDOW = Duration.ofSeconds(7);

    @Bean
    CommitOrigin commitOrigin() {
        return new CommitOrigin(PRESENCE_WINDOW);
    }


    @Bean
    CommitSignals commitSignals(ReadYourWritesProperties properties) {
        return new CommitSignals(properties.minWakeInterval());
    }

    @Bean
    PostgresCommitListener postgresCommitListener(DataSource dataSource, CommitSignals signals, CommitOrigin origin,
                                                  ReadYourWritesProperties properties) {
        PostgresCommitAnnouncer announcer = new PostgresCommitAnnouncer(dataSource, signals, origin, PRESENCE_INTERVAL);
        return new PostgresCommitListener(dataSource, signals, origin, announcer, properties.pollInterval());
    }

    @Bean
    ReadYourWrites readYourWrites(EventStore eventStore, JdbcTemplate jdbc, EventCodec codec, CommitSignals signals,
                                  PlatformTransactionManager transactions, ReadYourWritesProperties properties) {
        return new ReadYourWrites(eventStore, new PatientEventTable(jdbc, codec), signals, transactions, properties.maxWait());
    }

    @Bean
    ReadModelsCatchUp readModelsCatchUp(EventStore eventStore, org.axonframework.config.EventProcessingConfiguration processing,
                                        org.axonframework.eventhandling.tokenstore.TokenStore tokens, CommitSignals signals) {
        return new ReadModelsCatchUp(eventStore, processing, tokens, signals);
    }
}
