package org.treatmentledger.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        double[] samples = new double[100];
        for (int i = 0; i < 100; i++) samples[99 - i] = i + 1; // unsorted on purpose
        assertThat(Stats.percentile(samples, 50)).isEqualTo(50);
        assertThat(Stats.percentile(samples, 99)).isEqualTo(99);
        assertThat(Stats.percentile(samples, 100)).isEqualTo(100);
        assertThat(Stats.percentile(samples, 0.5)).isEqualTo(1);
    }

    @Test
    void percentileOfFewSamplesIsAnObservedValue() {
        double[] samples = {10, 1, 5};
        assertThat(Stats.percentile(samples, 50)).isEqualTo(5);
        assertThat(Stats.percentile(samples, 99)).isEqualTo(10);
        assertThat(Stats.percentile(new double[]{7}, 99)).isEqualTo(7);
    }

    @Test
    void percentileDoesNotReorderTheCallersArray() {
        double[] samples = {3, 1, 2};
        Stats.percentile(samples, 50);
        assertThat(samples).containsExactly(3, 1, 2);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(new double[]{9, 1, 5})).isEqualTo(5);
        assertThat(Stats.median(new double[]{4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void emptyOrInvalidInputIsRefused() {
        assertThatThrownBy(() -> Stats.median(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new double[]{1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.percentile(new double[]{1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void firstAndLastWindows() {
        double[] samples = {1, 2, 3, 4, 5};
        assertThat(Stats.first(samples, 2)).containsExactly(1, 2);
        assertThat(Stats.last(samples, 2)).containsExactly(4, 5);
        assertThat(Stats.last(samples, 9)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void ratioIsNullWithoutBothNumbers() {
        assertThat(Stats.ratio(3.0, 2.0)).isEqualTo(1.5);
        assertThat(Stats.ratio(null, 2.0)).isNull();
        assertThat(Stats.ratio(3.0, null)).isNull();
        assertThat(Stats.ratio(3.0, 0.0)).isNull();
    }

    @Test
    void nanosToMillis() {
        assertThat(Stats.nanosToMillis(new long[]{1_500_000, 2_000_000_000L})).containsExactly(1.5, 2000.0);
    }
}
