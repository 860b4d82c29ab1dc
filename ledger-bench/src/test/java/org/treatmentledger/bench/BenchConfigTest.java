package org.treatmentledger.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchConfigTest {

    @Test
    void other_w1_clients_change_only_w1s_concurrency_levels() {
        BenchConfig full = BenchConfig.full();
        BenchConfig some = full.withW1Clients(List.of(1, 32));

        assertThat(some.w1Clients()).containsExactly(1, 32);
        assertThat(some).isEqualTo(new BenchConfig(full.mode(), List.of(1, 32), full.w1WarmUpPatients(), full.w1WarmUp(),
                full.w1Measure(), full.w1CatchUpTimeout(), full.limitBatch(), full.w2Entries(), full.w2Window(),
                full.w2Loads(), full.w3Events(), full.w3ReplayTimeout(), full.w4WarmUp(), full.w4Queries()));
        assertThat(full.w1Clients()).containsExactly(1, 8, 32);
    }

    @Test
    void w1_clients_must_be_positive_and_at_least_one() {
        assertThatThrownBy(() -> BenchConfig.full().withW1Clients(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BenchConfig.full().withW1Clients(List.of(0, 8))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void another_w3_size_keeps_the_rest() {
        BenchConfig quick = BenchConfig.quick();
        BenchConfig w3 = quick.withW3(300_000, Duration.ofSeconds(90));
        assertThat(w3.w3Events()).isEqualTo(300_000);
        assertThat(w3.w3ReplayTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(w3.w1Clients()).isEqualTo(quick.w1Clients());
    }
}
