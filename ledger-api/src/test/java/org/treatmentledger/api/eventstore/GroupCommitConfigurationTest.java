package org.treatmentledger.api.eventstore;

import org.axonframework.springboot.EventProcessorProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group commit and subscribing processors do not go together; the service says so at startup. */
class GroupCommitConfigurationTest {

    @Test
    void a_subscribing_processor_is_refused_and_pooled_or_tracking_ones_are_not() {
        EventProcessorProperties processors = new EventProcessorProperties();
        processors.getProcessors().put("read-models", settings(EventProcessorProperties.Mode.POOLED));
        processors.getProcessors().put("legacy", settings(EventProcessorProperties.Mode.TRACKING));
        assertThatCode(() -> EventStoreConfiguration.refuseSubscribingProcessors(processors)).doesNotThrowAnyException();

        processors.getProcessors().put("notifications", settings(EventProcessorProperties.Mode.SUBSCRIBING));
        assertThatThrownBy(() -> EventStoreConfiguration.refuseSubscribingProcessors(processors))
                .hasMessageContaining("'notifications'").hasMessageContaining("ledger.axon.group-commit=false");
    }

    private static EventProcessorProperties.ProcessorSettings settings(EventProcessorProperties.Mode mode) {
        EventProcessorProperties.ProcessorSettings s = new EventProcessorProperties.ProcessorSettings();
        s.setMode(mode);
        return s;
    }
}
