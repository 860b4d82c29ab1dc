package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.treatmentledger.api.eventstore.AxonTables;

import org.treatmentledger.projections.ReadModels;

import java.util.Set;
import java.util.TreeSet;

/** ledger.deadletters {processing_group}: dead-lettered sequences (patients) per read model, read at scrape time. */
@Component
public class DeadLetterMetrics implements SmartInitializingSingleton {

    static final Set<String> KNOWN_GROUPS = Set.copyOf(ReadModels.PROCESSING_GROUPS);

    private final MeterRegistry meters;
    private final AxonTables axonTables;
    private final EventProcessingConfiguration processing;

    public DeadLetterMetrics(MeterRegistry meters, AxonTables axonTables, EventProcessingConfiguration processing) {
        this.meters = meters;
        this.axonTables = axonTables;
        this.processing = processing;
    }

    @Override
    public void afterSingletonsInstantiated() {
        // Dead letters are kept per processing group (read model), not per processor: the read models share one.
        for (String group : new TreeSet<>(KNOWN_GROUPS)) {
            Gauge.builder("ledger.deadletters", () -> count(group))
                    .tag("processing_group", group)
                    .description("Dead-lettered event sequences (one per patient stream) of a read model")
                    .register(meters);
        }
    }

    private double count(String group) {
        try {
            return axonTables.deadLetteredSequences(group);
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }
}
