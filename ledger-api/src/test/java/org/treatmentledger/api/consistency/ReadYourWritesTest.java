package org.treatmentledger.api.consistency;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Reads see the caller's own writes" on one node: 2,001 write-then-read pairs from four concurrent clients, each
 * read sent the moment its write answered 201, and not one read without its write. The fallback poll is off
 * (one hour), so the reads are answered in time only because commits wake the read models: without the wake-up
 * the processor would look for new events every 3.3 s (its own claim-extension period), beyond the reads' 2 s
 * wait, and the reads would answer 503.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "ledger.reads.poll-interval=1h")
class ReadYourWritesTest {

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-read-your-writes-");
    }

    @LocalServerPort
    int port;

    @Test
    void every_read_right_after_a_write_shows_the_write() throws Exception {
        Http http = new Http(port);
        WriteThenReadPairs.Result result = WriteThenReadPairs.run(http, http, Integer.getInteger("ryw.patients", 667), 4);
        System.out.printf("ReadYourWritesTest: %d pairs in %.1f s, read after write p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d misses%n",
                result.pairs(), result.seconds(), result.percentileMicros(0.50) / 1e3, result.percentileMicros(0.99) / 1e3,
                result.percentileMicros(1.0) / 1e3, result.misses().size());
        assertThat(result.misses()).isEmpty();
        assertThat(result.readMicros()).hasSize(result.pairs());
    }
}
