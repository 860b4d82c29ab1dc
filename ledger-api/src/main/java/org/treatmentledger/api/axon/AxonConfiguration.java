package org.treatmentledger.api.axon;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.EventProcessorProperties;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.api.cluster.SegmentBalancer;
import org.treatmentledger.api.consistency.CommitSignals;
import org.treatmentledger.api.consistency.SignallingEventStore;
import org.treatmentledger.api.storage.GroupCommitEventStorageEngine;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.SnapshotSerializer;
import org.treatmentledger.projections.rebuild.BulkRebuild;
import org.treatmentledger.projections.store.DerivedRowsProjection;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;

/**
 * The Axon wiring the ledger decides itself; everything else is Axon's Spring Boot auto-configuration.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {

    /** Bean names the aggregate configuration refers to (see {@link #aggregateDefaults()}). */
    public static final String SNAPSHOT_TRIGGER = "ledgerSnapshotTrigger";
    public static final String AGGREGATE_CACHE = "ledgerAggregateCache";
    /** How far below the head a gap in the global index is still awaited (Axon's default, made explicit for the bulk rebuild). */
    static final int MAX_GAP_OFFSET = 10_000;

    // One dedicated Jackson mapper for everything Axon stores or sends: the web mapper never decides the format.
    // With the patient's snapshot form, as Axon Server stores snapshots with this serializer.
    @Bean
    @Primary
    Serializer serializer() {
        return SnapshotSerializer.json();
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer() {
        return LedgerJson.serializer();
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
                                          MeterRegistry meters) {
        var jdbc = jdbcEngine(eventSerializer, snapshotSerializer, persistenceExceptionResolver, axon, properties)
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .build();
        if (!properties.groupCommit()) return jdbc;
        refuseSubscribingProcessors(processors);
        // One-row appends as single autocommit INSERTs: a plain pooled connection, no transaction to join.
        var singleRows = jdbcEngine(eventSerializer, snapshotSerializer, persistenceExceptionResolver, axon, properties)
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
                groupSizes::record);
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
     * Axon's auto-configured command bus (same span factory, monitor and correlation data), without a
     * transaction around each command when group commit is on. A command's only write is its append, which the
     * group commit puts in a transaction of its own; a transaction around the whole command would hold a pooled
     * connection while the command waits for its group, and would make the append join it instead of the group.
     * Aggregate loads read in short transactions of their own, which is safe: events are never changed, so a
     * snapshot and the events after it always agree. With group commit off, this is Axon's bus exactly.
     */
    @Bean
    @Qualifier("localSegment")
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    SimpleCommandBus commandBus(org.axonframework.config.Configuration axon, DuplicateCommandHandlerResolver duplicates,
                                TransactionManager transactionManager, LedgerAxonProperties properties) {
        SimpleCommandBus bus = SimpleCommandBus.builder()
                .transactionManager(properties.groupCommit() ? NoTransactionManager.INSTANCE : transactionManager)
                .duplicateCommandHandlerResolver(duplicates)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus"))
                .build();
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        return bus;
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

    /**
     * Read-model rebuilds on the JDBC event store fill the rows in bulk (see BulkRebuild), then the processor
     * continues from the head. With Axon Server the events are not in PostgreSQL: rebuilds replay event by event.
     */
    @Bean
    @ConditionalOnExpression("'${axon.axonserver.enabled:true}' == 'false' and '${ledger.rebuild.bulk:true}' == 'true'")
    BulkRebuild bulkRebuild(JdbcTemplate jdbc, PlatformTransactionManager transactions, TransactionManager axonTransactions,
                            TokenStore tokenStore, List<DerivedRowsProjection<?>> derived, RebuildProperties properties) {
        return new BulkRebuild(jdbc, transactions, axonTransactions, tokenStore, derived,
                new EventSchema().domainEventTable(), MAX_GAP_OFFSET, properties.indexesPerTransaction(),
                properties.eventsPerPage(), properties.copyWorkers(), properties.deriveWorkers());
    }

    /** Server time for the rules (FUTURE_EVENT, schedules). A bean so tests can pin it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Copies the recorder from each command's metadata onto every event it causes. */
    @Bean
    CorrelationDataProvider recordedByCorrelationDataProvider() {
        return new SimpleCorrelationDataProvider(PatientEvent.RECORDED_BY);
    }

    @Bean(SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition ledgerSnapshotTrigger(Snapshotter snapshotter, LedgerAxonProperties properties) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, properties.snapshotThreshold());
    }

    @Bean(AGGREGATE_CACHE)
    Cache ledgerAggregateCache(LedgerAxonProperties properties) {
        return properties.aggregateCache() ? new WeakReferenceCache() : NoCache.INSTANCE;
    }

    /**
     * Gives every aggregate that does not name its own the ledger's snapshot trigger and cache, so the
     * aggregate class (ledger-core) stays free of Spring bean names.
     */
    @Bean
    static BeanFactoryPostProcessor aggregateDefaults() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanNamesForType(
                    org.axonframework.spring.config.SpringAggregateConfigurer.class, true, false)) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                var values = definition.getPropertyValues();
                if (!values.contains("snapshotTriggerDefinition")) {
                    values.add("snapshotTriggerDefinition", SNAPSHOT_TRIGGER);
                }
                if (!values.contains("cache")) {
                    values.add("cache", AGGREGATE_CACHE);
                }
            }
        };
    }

    /**
     * Pooled streaming processors for every processing group unless a group says otherwise
     * ({@code axon.eventhandling.processors.<group>.mode}). A processor batch is one transaction that only reads
     * events and writes read-model rows and the token; it appends no events, so its length cannot open a gap in
     * the global index (only command transactions can). Read models write a whole batch at once
     * (projections.store.BatchScope), so larger batches mean fewer round trips and commits. The read models' processors get their mode, batch size, claim interval
     * and segment count through Axon's per-processor properties (cluster.ClusterConfiguration#readModelsArePooled).
     */
    @Bean
    ConfigurerModule pooledProcessorsByDefault(LedgerAxonProperties properties, SegmentBalancer segmentBalancer,
                                               TokenStoreProperties tokenStore, JdbcTemplate jdbc,
                                               CommitSignals signals) {
        // Claims are refreshed three times per claim timeout even while idle, so a live node never looks dead.
        long claimExtension = Math.max(100, tokenStore.getClaimTimeout().toMillis() / 3);
        return configurer -> configurer.eventProcessing()
                .assignProcessingGroup(group -> ReadModels.READ_MODELS.contains(group) ? ReadModels.PROCESSOR : group)
                .usingPooledStreamingEventProcessors(
                (config, builder) -> builder
                        .batchSize(properties.processorBatchSize())
                        .transactionManager(new AsynchronousCommitTransactionManager(
                                config.getComponent(TransactionManager.class), jdbc, signals))
                        .tokenClaimInterval(properties.tokenClaimInterval().toMillis())
                        .claimExtensionThreshold(claimExtension)
                        // A null token is "from the first event", the same position as the store's tail token,
                        // but asking the event source for its tail at start blocks startup (30 retries, then a
                        // failed context) while Axon Server is unreachable. Start, report DOWN, answer 503.
                        .initialToken(source -> null)
                        // Back on its feet within seconds of the database (see CoordinatorScheduler); shut down
                        // with the configuration, as Axon does with its own.
                        .coordinatorExecutor(name -> {
                            CoordinatorScheduler scheduler = new CoordinatorScheduler(name, properties.processorRetryMaxDelay());
                            config.onShutdown(scheduler::shutdown);
                            return scheduler;
                        })
                        // At most ceil(segments / live nodes) segments per node (see cluster.SegmentBalancer).
                        .maxSegmentProvider(segmentBalancer));
    }
}
