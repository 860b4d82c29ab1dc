package org.treatmentledger.api.readmodels;

import org.springframework.context.annotation.Configuration;
import org.treatmentledger.api.LedgerAxonProperties;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.springboot.TokenStoreProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.cluster.SegmentBalancer;
import org.treatmentledger.api.consistency.CommitSignals;
import org.treatmentledger.projections.ReadModels;

/** The processors that run the read models: pooled streaming, their transactions, claims and coordinator. */
@Configuration(proxyBeanMethods = false)
public class ReadModelProcessingConfiguration {

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
