package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MessageTimerMonitor;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DimensionalMessageMonitor registers what axon-micrometer's own dimensional monitors register for the same messages:
 * the same meters (names, tags, types), counts and published percentiles. Fails when an Axon upgrade changes them.
 */
class DimensionalMessageMonitorTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static void feed(MessageMonitor<Message<?>> monitor) {
        for (Object payload : List.of("a", "b", 1, 2L)) {
            Message<?> message = new GenericMessage<>(payload);
            MessageMonitor.MonitorCallback callback = monitor.onMessageIngested(message);
            switch (payload.toString()) {
                case "a", "1" -> callback.reportSuccess();
                case "b" -> callback.reportFailure(new IllegalStateException());
                default -> callback.reportIgnored();
            }
        }
    }

    /** Meter id (type, name, tags) to its counts and, for timers, the percentiles it publishes. */
    private static Map<String, String> meters(MeterRegistry registry) {
        Map<String, String> meters = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String value = "";
            if (meter instanceof Timer t) {
                value = "count=" + t.count() + " percentiles=" + Arrays.stream(t.takeSnapshot().percentileValues())
                        .map(ValueAtPercentile::percentile).toList();
            } else if (meter instanceof Counter c) {
                value = "count=" + c.count();
            }
            meters.put(id.getType() + " " + id.getName() + " " + id.getTags(), value);
        }
        return meters;
    }

    @Test
    void sameMetersAsAxonMicrometer() {
        MeterRegistry axon = new SimpleMeterRegistry();
        Function<Message<?>, Iterable<Tag>> tags =
                message -> Tags.of("payloadType", message.getPayloadType().getSimpleName());
        MessageMonitor<Message<?>> axonMonitors = new MultiMessageMonitor<>(List.of(
                MessageTimerMonitor.builder().meterNamePrefix("commandBus").meterRegistry(axon).tagsBuilder(tags).build(),
                MessageCountingMonitor.buildMonitor("commandBus", axon, tags),
                CapacityMonitor.buildMonitor("commandBus", axon, WINDOW.toMillis(), TimeUnit.MILLISECONDS, tags)));
        MeterRegistry ours = new SimpleMeterRegistry();
        var ourMonitor = new DimensionalMessageMonitor("commandBus", ours,
                type -> Tags.of("payloadType", type.getSimpleName()), WINDOW);

        feed(axonMonitors);
        feed(ourMonitor);

        assertThat(meters(axon)).hasSizeGreaterThan(20);
        assertThat(meters(ours)).isEqualTo(meters(axon));
    }
}
