package org.treatmentledger.projections.rebuild;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.treatmentledger.projections.ReadModels;

import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * Rebuilds a read model from the event store alone: shuts its processor down, resets its tokens (which runs
 * the @ResetHandler of every read model on that processor, emptying their tables), and starts it again; it then
 * replays every event. All read models share one processor, so a rebuild always rebuilds all of them.
 *
 * <p>This acts on this node's processor. The token reset fails while another node still holds a claim on a
 * segment, so in a cluster stop the processor on every other node first (GUIDE.md). Whatever happens, the
 * processor is started again.
 */
@Component
public class ReadModelRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuilds.class);

    private final EventProcessingConfiguration processing;

    public ReadModelRebuilds(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    public List<String> readModels() {
        return ReadModels.READ_MODELS;
    }

    /**
     * The event processor that runs {@code readModel}. The read models share one ({@link ReadModels#PROCESSOR}),
     * so rebuilding any of them rebuilds them all: one token, one replay.
     */
    public String processorName(String readModel) {
        return processor(readModel).getName();
    }

    /** Starts a rebuild and returns right away; follow it with {@link #progress}. */
    public synchronized RebuildProgress rebuild(String group) {
        StreamingEventProcessor processor = processor(group);
        if (!processor.supportsReset()) {
            throw new IllegalStateException("read model '" + group + "' does not support a reset");
        }
        log.info("Rebuilding read model {}: shutting its processor down", group);
        processor.shutDown();
        try {
            processor.resetTokens();
            log.info("Read model {} reset; replaying from the start of the event store", group);
        } finally {
            processor.start();
        }
        return progress(group);
    }

    public RebuildProgress progress(String group) {
        StreamingEventProcessor processor = processor(group);
        Collection<EventTrackerStatus> statuses = processor.processingStatus().values();
        boolean replaying = statuses.stream().anyMatch(ReadModelRebuilds::stillReplaying);
        boolean caughtUp = !statuses.isEmpty() && statuses.stream().allMatch(EventTrackerStatus::isCaughtUp);
        boolean error = processor.isError() || statuses.stream().anyMatch(EventTrackerStatus::isErrorState);
        Long position = statuses.stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).min(Long::compare).orElse(null);
        Long reset = statuses.stream().map(EventTrackerStatus::getResetPosition)
                .filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).max(Long::compare).orElse(null);
        Double percent;
        if (!replaying) {
            percent = statuses.isEmpty() ? null : 100.0;
        } else if (reset == null || reset <= 0 || position == null) {
            percent = 0.0;
        } else {
            percent = Math.min(100.0, Math.floor(1000.0 * position / reset) / 10.0);
        }
        return new RebuildProgress(group, processor.isRunning(), replaying, caughtUp, error, statuses.size(),
                position, replaying ? reset : null, percent);
    }

    /**
     * Axon keeps a segment's replay token until an event beyond the reset position arrives; a segment that has
     * processed everything up to the reset position has finished rebuilding even if no new event came since.
     */
    private static boolean stillReplaying(EventTrackerStatus status) {
        if (!status.isReplaying()) return false;
        OptionalLong current = status.getCurrentPosition();
        OptionalLong reset = status.getResetPosition();
        return current.isEmpty() || reset.isEmpty() || current.getAsLong() < reset.getAsLong();
    }

    private StreamingEventProcessor processor(String group) {
        if (!ReadModels.READ_MODELS.contains(group)) throw new UnknownReadModelException(group);
        return processing.eventProcessorByProcessingGroup(group, StreamingEventProcessor.class)
                .orElseThrow(() -> new UnknownReadModelException(group));
    }
}
