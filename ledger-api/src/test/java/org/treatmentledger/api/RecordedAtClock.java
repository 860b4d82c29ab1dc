package org.treatmentledger.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * recordedAt is the event's timestamp as Axon stores it: millisecond resolution. An asOf taken with
 * {@link Instant#now()} can share its millisecond with the next event, whose truncated recordedAt is then not
 * after asOf and counts as "recorded by then". Tests that cut a history at "now" take the instant here, which
 * returns only after the clock has moved on to a later millisecond.
 */
public final class RecordedAtClock {

    private RecordedAtClock() { }

    public static Instant cutOff() {
        Instant cut = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        while (!Instant.now().truncatedTo(ChronoUnit.MILLIS).isAfter(cut)) {
            Thread.onSpinWait();
        }
        return cut;
    }
}
