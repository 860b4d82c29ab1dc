package org.treatmentledger.api.rebuild;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.api.clinics.RowLevelSecurity;
import org.treatmentledger.api.eventstore.EventStoreConfiguration;
import org.treatmentledger.projections.rebuild.BulkRebuild;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;

import java.util.List;

/** The bulk fill of read-model rows that rebuilds use on the JDBC event store. */
@Configuration(proxyBeanMethods = false)
public class RebuildConfiguration {

    /**
     * Read-model rebuilds on the JDBC event store fill the rows in bulk (see BulkRebuild), then the processor
     * continues from the head. With Axon Server the events are not in PostgreSQL: rebuilds replay event by event.
     */
    @Bean
    @ConditionalOnExpression("'${axon.axonserver.enabled:true}' == 'false' and '${ledger.rebuild.bulk:true}' == 'true'")
    BulkRebuild bulkRebuild(JdbcTemplate jdbc, PlatformTransactionManager transactions, TransactionManager axonTransactions,
                            TokenStore tokenStore, List<DerivedRowsProjection<?>> derived, RebuildProperties properties,
                            RowLevelSecurity rowLevelSecurity, EventCodec codec) {
        return new BulkRebuild(jdbc, transactions, axonTransactions, tokenStore, derived,
                new EventSchema().domainEventTable(), EventStoreConfiguration.MAX_GAP_OFFSET, properties.indexesPerTransaction(),
                properties.eventsPerPage(), properties.copyWorkers(), properties.deriveWorkers(), codec) {
            @Override
            public synchronized TrackingToken run(String processor) {
                // The copy swaps in a new ledger_event table, made without the clinics' policies and trigger.
                try {
                    return super.run(processor);
                } finally {
                    rowLevelSecurity.protect();
                }
            }
        };
    }
}
