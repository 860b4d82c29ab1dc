package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;

/**
 * Axon's metrics, the same meters axon-micrometer registers in dimensional mode ({@code commandBus.*},
 * {@code eventStore.*}, {@code queryBus.*} tagged {@code payloadType}; {@code eventProcessor.*} tagged
 * {@code payloadType} and {@code processorName}), with two differences:
 * <ul>
 *   <li>the capacity gauges average over {@link #CAPACITY_WINDOW} instead of Axon's ten minutes. Axon's capacity
 *       monitor keeps one entry per message for its whole window: during a rebuild at ten thousand events a
 *       second that was five million entries, about half a gigabyte, and the service ran out of heap
 *       (ledger-bench W3/W4);</li>
 *   <li>each payload type's meters are looked up once ({@link DimensionalMessageMonitor}), not for every message.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class AxonMessageMonitors {

    /** Long enough for a scrape every 15 s to see a steady value; short enough to stay a few megabytes. */
    static final Duration CAPACITY_WINDOW = Duration.ofSeconds(10);

    @Bean
    ConfigurerModule axonMessageMonitorsModule(MeterRegistry registry) {
        // A factory for a component type takes precedence over the metrics module's default factory.
        return configurer -> configurer
                .configureMessageMonitor(EventProcessor.class,
                        (configuration, componentType, processorName) -> eventProcessor(registry, processorName))
                .configureMessageMonitor(CommandBus.class, (configuration, componentType, name) ->
                        new DimensionalMessageMonitor(name, registry, AxonMessageMonitors::payloadType, CAPACITY_WINDOW))
                .configureMessageMonitor(QueryBus.class, (configuration, componentType, name) ->
                        new DimensionalMessageMonitor(name, registry, AxonMessageMonitors::payloadType, CAPACITY_WINDOW))
                // As Axon's: no capacity gauge for the event bus (publishing is not processing).
                .configureMessageMonitor(EventBus.class, (configuration, componentType, name) ->
                        new DimensionalMessageMonitor(name, registry, AxonMessageMonitors::payloadType, null));
    }

    private static Tags payloadType(Class<?> type) {
        return Tags.of("payloadType", type.getSimpleName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // processors only pass event messages, as in Axon's own registry
    static MessageMonitor<Message<?>> eventProcessor(MeterRegistry registry, String processorName) {
        List<MessageMonitor<? super EventMessage<?>>> monitors = List.of(
                new DimensionalMessageMonitor("eventProcessor", registry,
                        type -> Tags.of("payloadType", type.getSimpleName(), "processorName", processorName), CAPACITY_WINDOW),
                EventProcessorLatencyMonitor.builder().meterNamePrefix("eventProcessor").meterRegistry(registry)
                        .tagsBuilder(message -> Tags.of("processorName", processorName)).build());
        return (MessageMonitor) new MultiMessageMonitor<>(monitors);
    }
}
