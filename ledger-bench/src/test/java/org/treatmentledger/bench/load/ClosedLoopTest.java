package org.treatmentledger.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClosedLoopTest {

    @Test
    void countsOnlyRequestsCompletedInsideTheWindow() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ClosedLoop.Result r = ClosedLoop.run(2, Duration.ofMillis(100), Duration.ofMillis(200), n -> recorder -> {
            long t0 = System.nanoTime();
            Thread.sleep(2);
            calls.incrementAndGet();
            recorder.completed(t0);
        });
        assertThat(r.clients()).isEqualTo(2);
        assertThat(r.seconds()).isEqualTo(0.2);
        assertThat(r.requests()).isPositive().isLessThan(calls.get()); // the warm-up's requests are left out
        assertThat(r.latencyNanos()).hasSize((int) r.requests());
        for (long ns : r.latencyNanos()) assertThat(ns).isGreaterThanOrEqualTo(2_000_000L);
        assertThat(r.perSecond()).isEqualTo(r.requests() / 0.2);
    }

    @Test
    void aFailingClientFailsTheRun() {
        assertThatThrownBy(() -> ClosedLoop.run(3, Duration.ZERO, Duration.ofMillis(200), n -> recorder -> {
            if (n == 1) throw new IllegalArgumentException("refused");
            Thread.sleep(1);
        })).isInstanceOf(IllegalStateException.class).hasRootCauseInstanceOf(IllegalArgumentException.class);
    }
}
