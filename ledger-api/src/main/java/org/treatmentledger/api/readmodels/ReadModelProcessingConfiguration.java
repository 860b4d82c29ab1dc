package org.treatmentledger.api.readmodels;

import org.springframework.context.annotation.Configuration;
import org.treatmentledger.api.LedgerAxonProperties;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.springboot.EventProcessorProperties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.cluster.ClusterProperties;
import org.treatmentledger.api.cluster.SegmentBalancer;
import org.treatmentledger.api.consistency.CommitSignals;
import org.treatmentledger.projections.ReadModels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processors that run the read models: pooled streaming, their transactions, claims and coordinator. */
@Configuration(proxyBeanMethods = false)
public class ReadModelProcessingConfiguration {

    /**
     * Pooled streaming processors for every processing group unless a group says otherwise
     * ({@code axon.eventhandling.processors.<group>.mode}). A processor batch is one transaction that only reads
     * events and writes read-model rows and the token; it appends no events, so its length cannot open a gap in
     * the global index (only command transactions can). Read models write a whole batch at once
     * (projections.store.BatchScope), so larger batches mean fewer round trips and commits. The read models' processors get their mode, batch size, claim interval
     * and segment count through Axon's per-processor properties ({@link #readModelsArePooled}).
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

    /**
     * Makes every read model's processor a pooled streaming one with the ledger's batch size, claim interval
     * and segment count. Needed because Axon's Spring Boot auto-configuration registers any processor named
     * under {@code axon.eventhandling.processors.<group>} (the read models are, for their dead-letter queues)
     * as a TRACKING processor unless its mode is set, and its per-processor settings (batch size 1, 16 segments)
     * are applied after, so override, the defaults configured in code.
     */
    @Bean
    static BeanPostProcessor readModelsArePooled(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EventProcessorProperties processors) {
                    applyLedgerSettings(processors, Binder.get(environment));
                }
                return bean;
            }
        };
    }

    /**
     * The processor all read models share, and the groups' own keys (they carry the groups' dead-letter settings;
     * Axon would otherwise also register a tracking processor per key), get the ledger's settings for every key
     * the configuration does not set itself.
     */
    static void applyLedgerSettings(EventProcessorProperties processors, Binder binder) {
        LedgerAxonProperties axon = binder.bindOrCreate("ledger.axon", LedgerAxonProperties.class);
        ClusterProperties cluster = binder.bindOrCreate("ledger.cluster", ClusterProperties.class);
        List<String> names = new ArrayList<>(List.of(ReadModels.PROCESSOR));
        names.addAll(ReadModels.PROCESSING_GROUPS);
        for (String name : names) {
            EventProcessorProperties.ProcessorSettings settings =
                    processors.getProcessors().computeIfAbsent(name, n -> new EventProcessorProperties.ProcessorSettings());
            // Asks the configuration whether a key is set, rather than comparing the value with Axon's default:
            // an operator who sets a value equal to the default keeps it.
            String prefix = "axon.eventhandling.processors." + name + ".";
            if (!isSet(binder, prefix + "mode")) settings.setMode(EventProcessorProperties.Mode.POOLED);
            if (!isSet(binder, prefix + "initial-segment-count")) settings.setInitialSegmentCount(cluster.segments());
            if (!isSet(binder, prefix + "batch-size")) settings.setBatchSize(axon.processorBatchSize());
            if (!isSet(binder, prefix + "token-claim-interval")) {
                settings.setTokenClaimInterval(axon.tokenClaimInterval().toMillis());
                settings.setTokenClaimIntervalTimeUnit(TimeUnit.MILLISECONDS);
            }
        }
    }

    private static boolean isSet(Binder binder, String name) {
        return binder.bind(name, Bindable.of(String.class)).isBound();
    }
}
