package org.treatmentledger.api.monitoring;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * /actuator/health component "eventProcessors": each processor's state (running, segments, caught up,
 * replaying, error). DOWN when any segment is in error, naming the processor and the error's type (never the
 * message, which may quote event content).
 */
@Component("eventProcessors")
public class EventProcessorsHealthIndicator extends AbstractHealthIndicator {

    private final EventProcessingConfiguration processing;

    public EventProcessorsHealthIndicator(EventProcessingConfiguration processing) {
        super("Event processor health check failed");
        this.processing = processing;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean anyError = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, EventProcessor> entry : processing.eventProcessors().entrySet()) {
            EventProcessor processor = entry.getValue();
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("running", processor.isRunning());
            state.put("error", processor.isError());
            anyError |= processor.isError();
            if (processor instanceof StreamingEventProcessor streaming) {
                Map<Integer, EventTrackerStatus> status = streaming.processingStatus();
                state.put("mode", streaming.getClass().getSimpleName());
                state.put("claimedSegments", status.size());
                state.put("caughtUp", !status.isEmpty() && status.values().stream().allMatch(EventTrackerStatus::isCaughtUp));
                state.put("replaying", status.values().stream().anyMatch(EventTrackerStatus::isReplaying));
                status.forEach((segment, s) -> {
                    if (s.isErrorState() && s.getError() != null) {
                        state.put("segment" + segment + "Error", s.getError().getClass().getName());
                    }
                });
                boolean segmentError = status.values().stream().anyMatch(EventTrackerStatus::isErrorState);
                anyError |= segmentError;
                if (segmentError) state.put("error", true);
            }
            details.put(entry.getKey(), state);
        }
        builder.withDetails(details);
        if (anyError) builder.down().withDetail("reason", "an event processor is in error; its read model is stale");
        else builder.up();
    }
}
