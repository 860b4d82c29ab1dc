package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.RuleOverridden;

import java.util.List;

/**
 * ledger.events {type} and ledger.overrides {rule}: counted when the events are committed to the store on
 * this node (a dispatch interceptor on the event bus), so replays and other nodes' processors never count
 * twice. No patient identifiers in tags.
 */
@Component
public class EventMetrics implements SmartInitializingSingleton {

    private final EventBus eventBus;
    private final MeterRegistry meters;

    public EventMetrics(EventBus eventBus, MeterRegistry meters) {
        this.eventBus = eventBus;
        this.meters = meters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        eventBus.registerDispatchInterceptor(messages -> {
            List<? extends EventMessage<?>> batch = List.copyOf(messages);
            Runnable count = () -> batch.forEach(this::count);
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().afterCommit(u -> count.run());
            } else {
                count.run();
            }
            return (index, message) -> message;
        });
    }

    private void count(EventMessage<?> message) {
        meters.counter("ledger.events", "type", message.getPayloadType().getSimpleName()).increment();
        if (message.getPayload() instanceof RuleOverridden overridden) {
            meters.counter("ledger.overrides", "rule", overridden.rule().name()).increment();
        }
    }
}
