package org.treatmentledger.api.consistency;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.projections.store.PatientEventTable;

import javax.sql.DataSource;

/** Reads that see the caller's writes, and the commit wake-ups that make them fast (see {@link ReadYourWrites}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReadYourWritesProperties.class)
public class ReadYourWritesConfiguration {

    @Bean
    CommitSignals commitSignals() {
        return new CommitSignals();
    }

    @Bean
    PostgresCommitListener postgresCommitListener(DataSource dataSource, CommitSignals signals,
                                                  ReadYourWritesProperties properties) {
        return new PostgresCommitListener(dataSource, signals, properties.pollInterval());
    }

    @Bean
    ReadYourWrites readYourWrites(EventStore eventStore, JdbcTemplate jdbc, CommitSignals signals,
                                  PlatformTransactionManager transactions, ReadYourWritesProperties properties) {
        return new ReadYourWrites(eventStore, new PatientEventTable(jdbc), signals, transactions, properties.maxWait());
    }
}
