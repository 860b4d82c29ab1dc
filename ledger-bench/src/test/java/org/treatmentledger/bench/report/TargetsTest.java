package org.treatmentledger.bench.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TargetsTest {

    @Test
    void w1SingleClientComparesWithHalfTheLimit() {
        WorkloadResult met = Targets.w1Throughput(1, 500.0, 200.0, 1000.0, Map.of());
        assertThat(met.ratioToLimit()).isEqualTo(0.5);
        assertThat(met.ratioToPeer()).isEqualTo(2.5);
        assertThat(met.met()).isTrue();
        assertThat(Targets.w1Throughput(1, 499.0, 100.0, 1000.0, Map.of()).met()).isFalse();
    }

    @Test
    void w1ThirtyTwoClientsNeedsBothPeerAndLimit() {
        assertThat(Targets.w1Throughput(32, 600.0, 300.0, 1200.0, Map.of()).met()).isTrue();
        assertThat(Targets.w1Throughput(32, 600.0, 301.0, 1200.0, Map.of()).met()).as("below 2x peer").isFalse();
        assertThat(Targets.w1Throughput(32, 600.0, 100.0, 1201.0, Map.of()).met()).as("below 0.5x limit").isFalse();
        assertThat(Targets.w1Throughput(32, 600.0, null, 1000.0, Map.of()).met()).as("peer missing").isFalse();
    }

    @Test
    void w1EightClientsHasNoTarget() {
        WorkloadResult row = Targets.w1Throughput(8, 600.0, 300.0, 1200.0, Map.of());
        assertThat(row.met()).isNull();
        assertThat(row.ratioToLimit()).isEqualTo(0.5);
    }

    @Test
    void w2LoadAndAppend() {
        WorkloadResult load = Targets.w2Load(30.0, 10.0, 10_000, 10, Map.of());
        assertThat(load.ours()).isEqualTo(30.0);
        assertThat(load.limit()).isEqualTo(10.0);
        assertThat(load.ratioToLimit()).isEqualTo(3.0);
        assertThat(load.met()).isTrue();
        assertThat(Targets.w2Load(30.1, 10.0, 10_000, 10, Map.of()).met()).isFalse();
        assertThat(Targets.w2Append(1.5, 1.0, 200, Map.of()).met()).isTrue();
        assertThat(Targets.w2Append(1.51, 1.0, 200, Map.of()).met()).isFalse();
    }

    @Test
    void w3NeedsQuarterOfRawReadAndAbsoluteFloor() {
        assertThat(Targets.w3Rebuild(25_000, 100_000, Map.of()).met()).isTrue();
        assertThat(Targets.w3Rebuild(24_999, 100_000, Map.of()).met()).as("below 0.25x").isFalse();
        assertThat(Targets.w3Rebuild(19_000, 50_000, Map.of()).met()).as("below 20,000/s").isFalse();
        assertThat(Targets.w3Rebuild(25_000, 100_000, Map.of()).ratioToLimit()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void w4IsStrictlyUnderTwentyMilliseconds() {
        assertThat(Targets.w4Read("FindSchedule", new Latencies(1, 19.99, 100), Map.of()).met()).isTrue();
        assertThat(Targets.w4Read("FindSchedule", new Latencies(1, 20.0, 100), Map.of()).met()).isFalse();
    }

    @Test
    void heapAtMostFiveHundredTwelveMiB() {
        assertThat(Targets.heap("W3", 512, Map.of()).met()).isTrue();
        assertThat(Targets.heap("W3", 512.5, Map.of()).met()).isFalse();
        assertThat(Targets.rss("W3", 900, Map.of()).met()).isNull();
    }

    @Test
    void w1LatencyRowsHaveNoTarget() {
        WorkloadResult row = Targets.w1Latency(8, "p99", 4.0, 8.0, 2.0);
        assertThat(row.met()).isNull();
        assertThat(row.ratioToLimit()).isEqualTo(2.0);
        assertThat(row.ratioToPeer()).isEqualTo(0.5);
        assertThat(row.unit()).isEqualTo("ms");
    }

    @Test
    void latenciesFromSamples() {
        double[] ms = new double[200];
        for (int i = 0; i < ms.length; i++) ms[i] = i + 1;
        Latencies l = Latencies.of(ms);
        assertThat(l.p50Ms()).isEqualTo(100);
        assertThat(l.p99Ms()).isEqualTo(198);
        assertThat(l.count()).isEqualTo(200);
    }
}
