package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import org.treatmentledger.projections.ReadModels;

import java.util.Set;
import java.util.TreeSet;

/** ledger.deadletters {processing_group}: dead-lettered sequences (patients) per read model, read at scrape time. */
@Component
public class DeadLetterMetrics implements SmartInitializingSingleton {

    static final Set<String> KNOWN_GROUPS = Set.copyOf(ReadModels.PROCESSING_GROUPS);

    private final MeterRegistry meters;
    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;

    public DeadLetterMetrics(MeterRegistry meters, JdbcTemplate jdbc, EventProcessingConfiguration processing) {
        this.meters = meters;
        this.jdbc = jdbc;
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
            Long n = jdbc.queryForObject(
                    "SELECT count(DISTINCT sequenceidentifier) FROM deadletterentry WHERE processinggroup = ?",
                    Long.class, group);
            return n == null ? 0 : n;
        } catch (DataAccessException e) {
            return Double.NaN;
        }
    }
}
