package org.treatmentledger.bench.workloads;

import org.treatmentledger.bench.contenders.AxonContender;
import org.treatmentledger.bench.contenders.Ours;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.load.ClosedLoop;
import org.treatmentledger.core.api.PatientId;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;

/**
 * W5, write to visible: how long after a command's acknowledgement the patient's read models show it, on one
 * node. Each client registers a patient and records its first injection (sequence numbers 0 and 1), and after
 * each acknowledgement waits, as a patient read does, until the read models hold the patient's stream that far
 * (the service's {@code consistency.ReadYourWrites#awaitVisible}); the time from the acknowledgement to then is
 * one sample. The service's classes are reached by name, as {@link Ours} starts it: in a reactor build ledger-api
 * is a repackaged Spring Boot jar whose classes this module cannot compile against.
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

    private static final String READ_YOUR_WRITES = "org.treatmentledger.api.consistency.ReadYourWrites";

    public ClosedLoop.Result run(AxonContender ours, int clients) throws Exception {
        Class<?> type = Class.forName(READ_YOUR_WRITES, true, ours.context().getClassLoader());
        Object reads = ours.context().getBean(type);
        Method awaitVisible = type.getMethod("awaitVisible", PatientId.class, long.class, Duration.class);
        return ClosedLoop.run(clients, warmUp, measure, n -> recorder -> {
            PatientId id = PatientId.random();
            Instant now = Instant.now();
            ours.send(BenchData.register(id, now.minus(Duration.ofDays(30))));
            long acknowledged = System.nanoTime();
            visible(awaitVisible, reads, id, 0);
            recorder.completed(acknowledged);
            ours.send(BenchData.firstInjection(id, BenchData.newId(), now.minus(Duration.ofHours(1))));
            acknowledged = System.nanoTime();
            visible(awaitVisible, reads, id, 1);
            recorder.completed(acknowledged);
        });
    }

    private static void visible(Method awaitVisible, Object reads, PatientId id, long sequenceNumber) throws Exception {
        boolean visible;
        try {
            visible = (Boolean) awaitVisible.invoke(reads, id, sequenceNumber, MAX_WAIT);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (!visible) {
            throw new IllegalStateException("W5: event " + sequenceNumber + " of patient " + id
                    + " not in the read models " + MAX_WAIT.toSeconds() + " s after its acknowledgement");
        }
    }
}
