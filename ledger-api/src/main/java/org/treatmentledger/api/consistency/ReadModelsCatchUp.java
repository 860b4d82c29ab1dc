package org.treatmentledger.api.consistency;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.treatmentledger.projections.ReadModels;

import java.time.Duration;
import java.util.Map;

/**
 * "The read models hold everything committed before this moment", for reads that span patients (the bulk export's
 * list of a clinic's patients), where a patient read's own wait (ReadYourWrites) does not apply. The read models are
 * paced (ledger.reads.min-wake-interval), so a patient registered just before an export could otherwise be missing
 * from it. Exact on a node that holds all the read models' segments; with segments on other nodes their positions
 * are not visible here, and the wait runs until its limit.
 */
public final class ReadModelsCatchUp {

    private static final long RECHECK_NANOS = Duration.ofMillis(100).toNanos();

    private final EventStore eventStore;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokens;
    private final CommitSignals signals;

    public ReadModelsCatchUp(EventStore eventStore, EventProcessingConfiguration processing, TokenStore tokens,
                             CommitSignals signals) {
        this.eventStore = eventStore;
        this.processing = processing;
        this.tokens = tokens;
        this.signals = signals;
    }

    /** The event store's head now: pass it to {@link #await}. -1 for an empty store. */
    public long head() {
        TrackingToken head = eventStore.createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** Waits until the read models have applied every event up to {@code head}, at most {@code maxWait}; true if so. */
    public boolean await(long head, Duration maxWait) throws InterruptedException {
        if (head < 0) return true;
        signals.readerWaiting();
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long seen = signals.readModelCommits();
            if (caughtUp(head)) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            signals.awaitReadModelCommit(seen, Math.min(left, RECHECK_NANOS));
        }
    }

    private boolean caughtUp(long head) {
        StreamingEventProcessor processor = processing.eventProcessor(ReadModels.PROCESSOR, StreamingEventProcessor.class)
                .orElse(null);
        if (processor == null) return true;
        Map<Integer, EventTrackerStatus> status = processor.processingStatus();
        if (status.isEmpty() || status.size() < tokens.fetchSegments(processor.getName()).length) return false;
        return status.values().stream().allMatch(s -> s.getCurrentPosition().orElse(-1) >= head);
    }
}
