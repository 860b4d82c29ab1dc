package org.treatmentledger.api.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The event processors' Axon metrics, the same meters axon-micrometer registers in dimensional mode
 * ({@code eventProcessor.*} tagged {@code processorName} and {@code payloadType}), except that the capacity
 * gauge averages over {@link #CAPACITY_WINDOW} instead of Axon's ten minutes. Axon's capacity monitor keeps one
 * entry per handled event for its whole window: during a rebuild at ten thousand events a second that was five
 * million entries, about half a gigabyte, and the service ran out of heap (ledger-bench W3/W4). The other
 * components (command bus, event store, query bus) keep Axon's own monitors.
 */
@Configuration(proxyBeanMethods = false)
public class EventProcessorMonitors {

    /** Long enough for a scrape every 15 s to see a steady value; short enough to stay a few megabytes. */
    static final Duration CAPACITY_WINDOW = Duration.ofSeconds(10);

    private static final String PREFIX = "eventProcessor";

    @Bean
    ConfigurerModule eventProcessorMonitorsModule(MeterRegistry registry) {
        // A factory for the event processor type takes precedence over the metrics module's default factory.
        return configurer -> configurer.configureMessageMonitor(EventProcessor.class,
                (configuration, componentType, processorName) -> monitor(registry, processorName));
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // processors only pass event messages, as in Axon's own registry
    static MessageMonitor<Message<?>> monitor(MeterRegistry registry, String processorName) {
        Function<Message<?>, Iterable<Tag>> perType = message -> Tags.of(
                "payloadType", message.getPayloadType().getSimpleName(), "processorName", processorName);
        Function<Message<?>, Iterable<Tag>> perProcessor = message -> Tags.of("processorName", processorName);
        List<MessageMonitor<? super EventMessage<?>>> monitors = List.of(
                MessageTimerMonitor.buildMonitor(PREFIX, registry, perType),
                EventProcessorLatencyMonitor.builder().meterNamePrefix(PREFIX).meterRegistry(registry)
                        .tagsBuilder(perProcessor).build(),
                CapacityMonitor.buildMonitor(PREFIX, registry, CAPACITY_WINDOW.toMillis(), TimeUnit.MILLISECONDS, perType),
                MessageCountingMonitor.buildMonitor(PREFIX, registry, perType));
        return (MessageMonitor) new MultiMessageMonitor<>(monitors);
    }
}
