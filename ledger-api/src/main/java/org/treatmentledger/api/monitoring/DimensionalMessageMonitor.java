package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The meters of axon-micrometer 4.13.0's dimensional MessageTimerMonitor, MessageCountingMonitor and (optionally)
 * CapacityMonitor, with the same names, tags and timer settings, but each payload type's meters are looked up
 * once: Axon's look up about eleven meters in the registry for every message, which a profile of the command path
 * showed costly (docs/PERFORMANCE.md). The capacity window is a parameter (Axon's is ten minutes), and the busy time
 * in it is summed in buckets ({@link BusyTimeWindow}) instead of one sorted-map entry per message.
 * DimensionalMessageMonitorTest compares the meters with Axon's own after an upgrade.
 */
final class DimensionalMessageMonitor implements MessageMonitor<Message<?>> {

    private record Meters(Timer all, Timer success, Timer failure, Timer ignored, Counter ingested, Counter succeeded,
                          Counter failed, Counter processed, Counter ignoredCounter, BusyTimeWindow capacity) { }

    private final String prefix;
    private final MeterRegistry registry;
    private final Function<Class<?>, Tags> tags;
    private final Duration capacityWindow;
    private final Clock clock;
    private final ConcurrentHashMap<Class<?>, Meters> byPayloadType = new ConcurrentHashMap<>();

    /** {@code capacityWindow} null: no capacity gauge (Axon registers none for the event bus). */
    DimensionalMessageMonitor(String prefix, MeterRegistry registry, Function<Class<?>, Tags> tags, Duration capacityWindow) {
        this.prefix = prefix;
        this.registry = registry;
        this.tags = tags;
        this.capacityWindow = capacityWindow;
        this.clock = registry.config().clock();
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters m = byPayloadType.computeIfAbsent(message.getPayloadType(), this::meters);
        m.ingested().increment();
        long start = clock.monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                long took = finish();
                m.success().record(took, TimeUnit.NANOSECONDS);
                m.processed().increment();
                m.succeeded().increment();
            }

            @Override
            public void reportFailure(Throwable cause) {
                long took = finish();
                m.failure().record(took, TimeUnit.NANOSECONDS);
                m.processed().increment();
                m.failed().increment();
            }

            @Override
            public void reportIgnored() {
                long took = finish();
                m.ignored().record(took, TimeUnit.NANOSECONDS);
                m.ignoredCounter().increment();
            }

            private long finish() {
                long took = clock.monotonicTime() - start;
                m.all().record(took, TimeUnit.NANOSECONDS);
                if (m.capacity() != null) m.capacity().add(took);
                return took;
            }
        };
    }

    private Meters meters(Class<?> payloadType) {
        Tags t = tags.apply(payloadType);
        BusyTimeWindow capacity = null;
        if (capacityWindow != null) {
            capacity = new BusyTimeWindow(capacityWindow, clock);
            Gauge.builder(prefix + ".capacity", capacity, BusyTimeWindow::capacity)
                    .tags(t).strongReference(true).register(registry);
        }
        return new Meters(timer("allTimer", t), timer("successTimer", t), timer("failureTimer", t),
                timer("ignoredTimer", t), counter("ingestedCounter", t), counter("successCounter", t),
                counter("failureCounter", t), counter("processedCounter", t), counter("ignoredCounter", t), capacity);
    }

    /** As Axon's MessageTimerMonitor builds them. */
    private Timer timer(String name, Tags t) {
        return Timer.builder(prefix + "." + name)
                .distributionStatisticExpiry(Duration.ofMinutes(10))
                .publishPercentiles(0.5, 0.75, 0.95, 0.98, 0.99, 0.999)
                .tags(t)
                .register(registry);
    }

    private Counter counter(String name, Tags t) {
        return registry.counter(prefix + "." + name, t);
    }
}
