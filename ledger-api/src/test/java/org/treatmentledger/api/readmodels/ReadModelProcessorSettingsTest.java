package org.treatmentledger.api.readmodels;

import org.axonframework.springboot.EventProcessorProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.treatmentledger.projections.ReadModels;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReadModelProcessorSettingsTest {

    private static EventProcessorProperties bind(Binder binder) {
        return binder.bindOrCreate("axon.eventhandling", EventProcessorProperties.class);
    }

    @Test
    void unsetKeysGetTheLedgerSettings() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "ledger.axon.processor-batch-size", "250",
                "ledger.axon.token-claim-interval", "300ms",
                "ledger.cluster.segments", "3",
                "axon.eventhandling.processors.history.dlq.enabled", "true")));
        EventProcessorProperties processors = bind(binder);

        ReadModelProcessingConfiguration.applyLedgerSettings(processors, binder);

        for (String name : new String[] {ReadModels.PROCESSOR, ReadModels.HISTORY, ReadModels.DURABILITY, ReadModels.LOTS}) {
            EventProcessorProperties.ProcessorSettings settings = processors.getProcessors().get(name);
            assertThat(settings.getMode()).as(name).isEqualTo(EventProcessorProperties.Mode.POOLED);
            assertThat(settings.getBatchSize()).as(name).isEqualTo(250);
            assertThat(settings.getInitialSegmentCount()).as(name).isEqualTo(3);
            assertThat(settings.getTokenClaimIntervalTimeUnit().toMillis(settings.getTokenClaimInterval())).as(name).isEqualTo(300);
        }
        assertThat(processors.getProcessors().get(ReadModels.HISTORY).getDlq().isEnabled()).isTrue();
    }

    /** Values equal to Axon's defaults (tracking, batch 1, 5000 ms) were taken for "not set" and replaced. */
    @Test
    void keysTheOperatorSetStayEvenWhenEqualToAxonsDefaults() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "axon.eventhandling.processors.read-models.mode", "tracking",
                "axon.eventhandling.processors.read-models.batch-size", "1",
                "axon.eventhandling.processors.read-models.token-claim-interval", "5000",
                "axon.eventhandling.processors.read-models.initial-segment-count", "2")));
        EventProcessorProperties processors = bind(binder);

        ReadModelProcessingConfiguration.applyLedgerSettings(processors, binder);

        EventProcessorProperties.ProcessorSettings settings = processors.getProcessors().get(ReadModels.PROCESSOR);
        assertThat(settings.getMode()).isEqualTo(EventProcessorProperties.Mode.TRACKING);
        assertThat(settings.getBatchSize()).isEqualTo(1);
        assertThat(settings.getTokenClaimInterval()).isEqualTo(5000);
        assertThat(settings.getTokenClaimIntervalTimeUnit()).isEqualTo(TimeUnit.MILLISECONDS);
        assertThat(settings.getInitialSegmentCount()).isEqualTo(2);
        // The groups the operator left alone still get the ledger's settings.
        assertThat(processors.getProcessors().get(ReadModels.LOTS).getBatchSize()).isEqualTo(500);
    }
}
