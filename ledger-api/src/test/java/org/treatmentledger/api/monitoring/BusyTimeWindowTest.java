package org.treatmentledger.api.monitoring;

import io.micrometer.core.instrument.MockClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BusyTimeWindowTest {

    private final MockClock clock = new MockClock();
    private final BusyTimeWindow window = new BusyTimeWindow(Duration.ofSeconds(10), clock);

    @Test
    void capacityIsTheBusyTimeOverTheWindow() {
        assertThat(window.capacity()).isZero();
        window.add(TimeUnit.SECONDS.toNanos(2));
        clock.add(3, TimeUnit.SECONDS);
        window.add(TimeUnit.SECONDS.toNanos(3));
        // 5 s of work within 10 s: one thread half busy.
        assertThat(window.capacity()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void timeOlderThanTheWindowDropsOut() {
        window.add(TimeUnit.SECONDS.toNanos(4));
        clock.add(5, TimeUnit.SECONDS);
        window.add(TimeUnit.SECONDS.toNanos(1));
        clock.add(6, TimeUnit.SECONDS);
        // The first add is 11 s old; the second 6 s.
        assertThat(window.capacity()).isCloseTo(0.1, within(1e-9));
        clock.add(10, TimeUnit.SECONDS);
        assertThat(window.capacity()).isZero();
    }

    @Test
    void aBucketReusedAfterAWholeWindowStartsEmpty() {
        window.add(TimeUnit.SECONDS.toNanos(7));
        clock.add(10, TimeUnit.SECONDS);
        window.add(TimeUnit.SECONDS.toNanos(1));
        assertThat(window.capacity()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void anAddThatStalledForAWholeWindowDoesNotEmptyALaterBucket() {
        BusyTimeWindow stalled = new BusyTimeWindow(Duration.ofSeconds(10), new MockClock() {
            private int calls;

            @Override
            public long monotonicTime() {
                // The first reading is taken 10 s late: the add's own tick is a window behind the bucket's.
                return calls++ == 1 ? TimeUnit.SECONDS.toNanos(5) : TimeUnit.SECONDS.toNanos(15);
            }
        });
        stalled.add(TimeUnit.SECONDS.toNanos(2));   // tick 15
        stalled.add(TimeUnit.SECONDS.toNanos(9));   // tick 5, same bucket: dropped
        assertThat(stalled.capacity()).isCloseTo(0.2, within(1e-9));
    }
}
