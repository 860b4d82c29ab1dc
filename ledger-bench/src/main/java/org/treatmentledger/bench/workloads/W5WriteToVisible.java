package org.treatmentledger.bench.workloads;

import org.treatmentledger.api.consistency.ReadYourWrites;
import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.load.ClosedLoop;
import org.treatmentledger.core.api.PatientId;

import java.time.Duration;
import java.time.Instant;

/**
 * W5, write to visible: how long after a command's acknowledgement the patient's read models show it, on one
 * node. Each client registers a patient and records its first injection (sequence numbers 0 and 1), and after
 * each acknowledgement waits, as a patient read does, until the read models hold the patient's stream that far
 * ({@link ReadYourWrites#awaitVisible}); the time from the acknowledgement to then is one sample.
 */
public final class W5WriteToVisible {

    /** A write the read models do not show within this long fails the run (reads answer 503 after 2 s). */
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private final Duration warmUp;
    private final Duration measure;

    public W5WriteToVisible(Duration warmUp, Duration measure) {
        this.warmUp = warmUp;
        this.measure = measure;
    }

    public ClosedLoop.Result run(AxonContender ours, int clients) throws InterruptedException {
        ReadYourWrites reads = ours.context().getBean(ReadYourWrites.class);
        return ClosedLoop.run(clients, warmUp, measure, n -> recorder -> {
            PatientId id = PatientId.random();
            Instant now = Instant.now();
            ours.send(BenchData.register(id, now.minus(Duration.ofDays(30))));
            long acknowledged = System.nanoTime();
            visible(reads, id, 0);
            recorder.completed(acknowledged);
            ours.send(BenchData.firstInjection(id, BenchData.newId(), now.minus(Duration.ofHours(1))));
            acknowledged = System.nanoTime();
            visible(reads, id, 1);
            recorder.completed(acknowledged);
        });
    }

    private static void visible(ReadYourWrites reads, PatientId id, long sequenceNumber) throws InterruptedException {
        if (!reads.awaitVisible(id, sequenceNumber, MAX_WAIT)) {
            throw new IllegalStateException("W5: event " + sequenceNumber + " of patient " + id
                    + " not in the read models " + MAX_WAIT.toSeconds() + " s after its acknowledgement");
        }
    }
}
