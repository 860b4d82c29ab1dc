package org.treatmentledger.api.consistency;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pacing of the read models' wake-ups: a burst of commits shares wake-ups, and the last commit is never left unwoken. */
class CommitSignalsTest {

    @Test
    void aBurstOfCommitsWakesTheListenersAtOnceAndOnceMoreAfterTheInterval() throws Exception {
        try (CommitSignals signals = new CommitSignals(Duration.ofMillis(200))) {
            AtomicInteger wakeUps = new AtomicInteger();
            signals.onEventsCommitted(wakeUps::incrementAndGet);

            for (int i = 0; i < 50; i++) signals.eventsCommitted();
            // The first commit after a quiet spell wakes at once, on the committing thread.
            assertThat(wakeUps).hasValue(1);
            // The 49 that followed within the interval share one wake-up at its end.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(wakeUps).hasValue(2));
            Thread.sleep(400);
            assertThat(wakeUps).hasValue(2);

            // A quiet spell later, a commit wakes at once again.
            signals.eventsCommitted();
            assertThat(wakeUps).hasValue(3);
        }
    }

    @Test
    void aCommitDuringAPacedWakeUpIsWokenToo() throws Exception {
        try (CommitSignals signals = new CommitSignals(Duration.ofMillis(50))) {
            AtomicInteger wakeUps = new AtomicInteger();
            signals.onEventsCommitted(() -> {
                // A commit that lands while the listeners run (on the pacer's thread after the first wake-up).
                if (wakeUps.incrementAndGet() == 2) signals.eventsCommitted();
            });
            signals.eventsCommitted();
            signals.eventsCommitted();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(wakeUps).hasValue(3));
        }
    }

    @Test
    void aWaitingReadWakesAtOnceWithinTheInterval() throws Exception {
        try (CommitSignals signals = new CommitSignals(Duration.ofSeconds(10))) {
            AtomicInteger wakeUps = new AtomicInteger();
            signals.onEventsCommitted(wakeUps::incrementAndGet);
            signals.eventsCommitted();
            signals.eventsCommitted(); // paced: its wake-up is 10 s away
            assertThat(wakeUps).hasValue(1);
            signals.readerWaiting();
            assertThat(wakeUps).hasValue(2);
        }
    }

    @Test
    void withoutAnIntervalEveryCommitWakes() {
        CommitSignals signals = new CommitSignals();
        AtomicInteger wakeUps = new AtomicInteger();
        signals.onEventsCommitted(wakeUps::incrementAndGet);
        for (int i = 0; i < 5; i++) signals.eventsCommitted();
        assertThat(wakeUps).hasValue(5);
    }
}
