package org.treatmentledger.projections.rebuild;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.treatmentledger.projections.ReadModels;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Rebuilds a read model from the event store alone: shuts its processor down, resets its tokens (which runs
 * the @ResetHandler of every read model on that processor, emptying their tables), and starts it again; it then
 * replays every event. All read models share one processor, so a rebuild always rebuilds all of them. On the
 * JDBC event store the rows are first filled in bulk ({@link BulkRebuild}, in the background) and the processor
 * then starts at the head the bulk copy reached; if that fails it replays event by event from the reset tokens.
 *
 * <p>This acts on this node's processor. The token reset fails while another node still holds a claim on a
 * segment, so in a cluster stop the processor on every other node first (docs/OPERATIONS.md section 7). Whatever happens, the
 * processor is started again.
 */
@Component
public class ReadModelRebuilds {

    private static final Logger log = LoggerFactory.getLogger(ReadModelRebuilds.class);

    private final EventProcessingConfiguration processing;
    private final ObjectProvider<BulkRebuild> bulk;
    /** The processor whose bulk rebuild was started here and has not finished. */
    private volatile String bulkRunning;

    public ReadModelRebuilds(EventProcessingConfiguration processing, ObjectProvider<BulkRebuild> bulk) {
        this.processing = processing;
        this.bulk = bulk;
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
        if (processor.getName().equals(bulkRunning)) {
            throw new IllegalStateException("read model '" + group + "' is being rebuilt");
        }
        log.info("Rebuilding read model {}: shutting its processor down", group);
        processor.shutDown();
        BulkRebuild bulkRebuild = bulk.getIfAvailable();
        try {
            reset(processor);
            log.info("Read model {} reset; {}", group, bulkRebuild == null ? "replaying from the start of the event store"
                    : "filling it in bulk from the event store");
        } catch (RuntimeException e) {
            processor.start();
            throw e;
        }
        if (bulkRebuild == null) {
            processor.start();
        } else {
            bulkRunning = processor.getName();
            Thread worker = new Thread(() -> {
                try {
                    runBulk(bulkRebuild, processor.getName());
                } finally {
                    bulkRunning = null;
                    processor.start();
                }
            }, "ledger-bulk-rebuild");
            worker.setDaemon(true);
            worker.start();
        }
        return progress(group);
    }

    /**
     * Runs a bulk rebuild of {@code processor}'s read models (its tokens reset, the processor shut down on every
     * node). False if it failed: the tokens are reset once more, which empties whatever the bulk copy had written
     * (an unreadable event it copied must not stay in the tables), and the processor, once started, replays
     * event by event.
     */
    public boolean runBulk(BulkRebuild bulkRebuild, String processor) {
        try {
            bulkRebuild.run(processor);
            return true;
        } catch (RuntimeException e) {
            log.warn("Bulk rebuild of {} failed ({}); the processor replays event by event instead", processor, e.toString(), e);
            reset(processing.eventProcessor(processor, StreamingEventProcessor.class)
                    .orElseThrow(() -> new UnknownReadModelException(processor)));
            return false;
        }
    }

    /**
     * Resets {@code processor}'s tokens (its read models empty themselves) and empties its processing groups'
     * dead-letter queues. The replay applies every event again and dead-letters again whatever it still cannot
     * apply; a dead letter kept from before would make the replay park all of that patient's events, those before
     * the unreadable one included (Axon keeps a sequence in the queue once it has a dead letter).
     */
    public void reset(StreamingEventProcessor processor) {
        processor.resetTokens();
        for (String group : ReadModels.PROCESSING_GROUPS) {
            if (processing.eventProcessorByProcessingGroup(group).filter(p -> p == processor).isEmpty()) continue;
            processing.deadLetterQueue(group).ifPresent(queue -> {
                queue.clear();
                log.info("Dead letters of {} cleared with its reset", group);
            });
        }
    }

    /** The bulk rebuild this service can run (JDBC event store), if any. */
    public Optional<BulkRebuild> bulkRebuild() {
        return Optional.ofNullable(bulk.getIfAvailable());
    }

    public RebuildProgress progress(String group) {
        StreamingEventProcessor processor = processor(group);
        Optional<BulkRebuild.Status> bulkStatus = bulkRebuild().flatMap(BulkRebuild::status)
                .filter(st -> st.processor().equals(processor.getName()));
        if (bulkStatus.isPresent() || processor.getName().equals(bulkRunning)) {
            // Filling the rows in bulk: the processor is shut down until the bulk copy has placed its token.
            BulkRebuild.Status st = bulkStatus.orElse(new BulkRebuild.Status(processor.getName(), "BULK_COPY", 0.0));
            return new RebuildProgress(group, true, true, false, false, 0, null, null, st.stage(), st.percent());
        }
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
                position, replaying ? reset : null, replaying ? "REPLAYING" : null, percent);
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
