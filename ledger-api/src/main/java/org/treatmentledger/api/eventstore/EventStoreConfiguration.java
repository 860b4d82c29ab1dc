package org.treatmentledger.api.eventstore;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.treatmentledger.api.LedgerAxonProperties;
import org.treatmentledger.api.consistency.CommitSignals;
import org.treatmentledger.api.consistency.SignallingEventStore;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.personaldata.SubjectKeys;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.SnapshotSerializer;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The JDBC event store: the serializers for everything Axon stores, the storage engine (group commit), the
 * embedded event store on it, and duplicate-key detection for concurrent appends.
 */
@Configuration(proxyBeanMethods = false)
public class EventStoreConfiguration {

    /** How far below the head a gap in the global index is still awaited (Axon's default, made explicit for the bulk rebuild). */
    public static final int MAX_GAP_OFFSET = 10_000;

    // One dedicated Jackson mapper for everything Axon stores or sends: the web mapper never decides the format.
    // With the patient's snapshot form, as Axon Server stores snapshots with this serializer.
    @Bean
    @Primary
    Serializer serializer() {
        return SnapshotSerializer.json();
    }

    /**
     * Events as stored: the ledger's JSON with each patient's personal fields encrypted under the patient's data key
     * ({@code keys}, the erasure's key store), so the stored payload and the integrity leaves hash ciphertext.
     */
    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(SubjectKeys keys) {
        return new PersonalDataSerializer(keys);
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer() {
        return LedgerJson.serializer();
    }

    /** Snapshots in the JDBC store: Smile, reading JSON ones too (see SnapshotSerializer for why). */
    @Bean
    @Qualifier("snapshotSerializer")
    Serializer snapshotSerializer() {
        return new SnapshotSerializer();
    }

    /**
     * The JDBC event store with the gap settings made explicit. Same statements and schema as Axon's
     * auto-configured one (the Flyway migrations create exactly its tables). With {@code ledger.axon.group-commit}
     * (the default) the appends of concurrent commands share a transaction (GroupCommitEventStorageEngine).
     * Not used with Axon Server, which is then the event store.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EventStorageEngine eventStorageEngine(@Qualifier("eventSerializer") Serializer eventSerializer,
                                          @Qualifier("snapshotSerializer") Serializer snapshotSerializer,
                                          PersistenceExceptionResolver persistenceExceptionResolver,
                                          ConnectionProvider connectionProvider,
                                          TransactionManager transactionManager,
                                          DataSource dataSource,
                                          org.axonframework.config.Configuration axon,
                                          LedgerAxonProperties properties,
                                          EventProcessorProperties processors,
                                          MeterRegistry meters,
                                          ObjectProvider<CompanionRows> companionRows) {
        // Both engines' appends take the writes' companion rows (a new patient's data key) into their statement.
        CompanionStatements statements = new CompanionStatements();
        var jdbc = jdbcEngine(eventSerializer, snapshotSerializer, persistenceExceptionResolver, axon, properties)
                .appendEvents(statements)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .build();
        if (!properties.groupCommit()) return jdbc;
        refuseSubscribingProcessors(processors);
        // One-row appends as single autocommit INSERTs: a plain pooled connection, no transaction to join.
        var singleRows = jdbcEngine(eventSerializer, snapshotSerializer, persistenceExceptionResolver, axon, properties)
                .appendEvents(statements)
                .connectionProvider(() -> {
                    Connection c = dataSource.getConnection();
                    if (!c.getAutoCommit()) c.setAutoCommit(true);
                    return c;
                })
                .transactionManager(NoTransactionManager.INSTANCE)
                .build();
        DistributionSummary groupSizes = DistributionSummary.builder("ledger.eventstore.commit.commands")
                .description("Commands whose events one event-store transaction committed (group commit)")
                .register(meters);
        return new GroupCommitEventStorageEngine(jdbc, singleRows, eventSerializer, properties.groupCommitMaxEvents(),
                groupSizes::record, companionRows.getIfAvailable(() -> CompanionRows.NONE), statements);
    }

    private static JdbcEventStorageEngine.Builder jdbcEngine(Serializer eventSerializer, Serializer snapshotSerializer,
                                                             PersistenceExceptionResolver persistenceExceptionResolver,
                                                             org.axonframework.config.Configuration axon,
                                                             LedgerAxonProperties properties) {
        return JdbcEventStorageEngine.builder()
                .eventSerializer(eventSerializer)
                .snapshotSerializer(snapshotSerializer)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .schema(new EventSchema())
                .dataType(byte[].class)
                .batchSize(properties.eventFetchSize())
                .maxGapOffset(MAX_GAP_OFFSET)
                .gapTimeout((int) properties.gapTimeout().toMillis())
                .gapCleaningThreshold(properties.gapCleaningThreshold());
    }

    /**
     * With group commit, a command's events are committed before its unit of work commits. A subscribing
     * processor handles events in that commit phase, so its failure would report a command failed whose events
     * are stored. The read models are pooled streaming processors; an operator who makes any processor
     * subscribing must turn group commit off, and is told so at startup.
     */
    static void refuseSubscribingProcessors(EventProcessorProperties processors) {
        processors.getProcessors().forEach((name, settings) -> {
            if (settings.getMode() == EventProcessorProperties.Mode.SUBSCRIBING) {
                throw new IllegalStateException("Processor '" + name + "' is subscribing, which ledger.axon.group-commit=true"
                        + " does not allow (its failures would come after the events are committed); set"
                        + " ledger.axon.group-commit=false or use a pooled or tracking processor");
            }
        });
    }

    /**
     * Axon's embedded event store as its auto-configuration builds it, without the shared "tailing" producer
     * ({@code optimizeEventConsumption}). That producer only pays off when many processors follow the head; the
     * read models are one processor. It also started reading from wherever it had stopped: after events were
     * written while the read models were stopped (a bulk import, a rebuild), it cached them all and the service
     * ran out of heap (ledger-bench, full run). Without it the processor reads its own stream; when caught up it
     * is woken by commits (consistency.SignallingEventStore) and polls as a fallback.
     */
    @Bean(destroyMethod = "shutDown")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    EmbeddedEventStore eventStore(EventStorageEngine storageEngine, org.axonframework.config.Configuration axon,
                                  CommitSignals signals) {
        EmbeddedEventStore.Builder builder = EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(axon.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(axon.getComponent(EventBusSpanFactory.class))
                .optimizeEventConsumption(false);
        // Its streams wake the read models' processor on every commit instead of leaving it to poll.
        return new SignallingEventStore(builder, signals);
    }

    /** PostgreSQL's unique violation (23505) on the event table becomes Axon's ConcurrencyException. */
    @Bean
    @Primary
    PersistenceExceptionResolver duplicateKeyResolver() {
        return new DuplicateKeyResolver();
    }
}
