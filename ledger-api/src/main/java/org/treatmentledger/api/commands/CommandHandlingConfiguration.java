package org.treatmentledger.api.commands;

import org.treatmentledger.api.LedgerAxonProperties;
import org.treatmentledger.api.cluster.ClusterProperties;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.treatmentledger.core.api.PatientEvent;
import java.time.Clock;
import org.axonframework.spring.config.SpringAggregateConfigurer;

/**
 * How commands reach the Patient aggregate: the command gateway (conflicts retried) and bus, the recorder copied onto events, the server clock the
 * rules read, and the aggregate's snapshot trigger, cache and command target resolver.
 */
@Configuration(proxyBeanMethods = false)
public class CommandHandlingConfiguration {

    /** Bean names the aggregate configuration refers to (see {@link #aggregateDefaults()}). */
    public static final String SNAPSHOT_TRIGGER = "ledgerSnapshotTrigger";
    public static final String AGGREGATE_CACHE = "ledgerAggregateCache";
    public static final String COMMAND_TARGET_RESOLVER = "ledgerCommandTargetResolver";
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

    /** Axon's command gateway, with commands that lost a concurrent write to the same patient sent again. */
    @Bean
    CommandGateway commandGateway(CommandBus commandBus, ConflictRetryScheduler retries) {
        return DefaultCommandGateway.builder().commandBus(commandBus).retryScheduler(retries).build();
    }

    @Bean(destroyMethod = "shutdown")
    ConflictRetryScheduler conflictRetryScheduler(ClusterProperties cluster) {
        return ConflictRetryScheduler.create(cluster.commandRetries());
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

    @Bean(COMMAND_TARGET_RESOLVER)
    CommandTargetResolver ledgerCommandTargetResolver() {
        return new CachedCommandTargetResolver();
    }

    /**
     * Gives every aggregate that does not name its own the ledger's snapshot trigger, cache and command target
     * resolver, so the aggregate class (ledger-core) stays free of Spring bean names.
     */
    @Bean
    static BeanFactoryPostProcessor aggregateDefaults() {
        return beanFactory -> {
            for (String name : beanFactory.getBeanNamesForType(
                    SpringAggregateConfigurer.class, true, false)) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                var values = definition.getPropertyValues();
                if (!values.contains("snapshotTriggerDefinition")) {
                    values.add("snapshotTriggerDefinition", SNAPSHOT_TRIGGER);
                }
                if (!values.contains("cache")) {
                    values.add("cache", AGGREGATE_CACHE);
                }
                if (!values.contains("commandTargetResolver")) {
                    values.add("commandTargetResolver", COMMAND_TARGET_RESOLVER);
                }
            }
        };
    }
}
