package org.treatmentledger.api.consistency;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.LedgerTestSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Reads see the caller's own writes" on one node: 2,001 write-then-read pairs from four concurrent clients, each
 * read sent the moment its write answered 201, and not one read without its write.
 */
class ReadYourWritesTest extends LedgerTestSupport {

    @Test
    void every_read_right_after_a_write_shows_the_write() throws Exception {
        WriteThenReadPairs.Result result = WriteThenReadPairs.run(http, http, Integer.getInteger("ryw.patients", 667), 4);
        System.out.printf("ReadYourWritesTest: %d pairs in %.1f s, read after write p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d misses%n",
                result.pairs(), result.seconds(), result.percentileMicros(0.50) / 1e3, result.percentileMicros(0.99) / 1e3,
                result.percentileMicros(1.0) / 1e3, result.misses().size());
        assertThat(result.misses()).isEmpty();
        assertThat(result.readMicros()).hasSize(result.pairs());
    }
}
