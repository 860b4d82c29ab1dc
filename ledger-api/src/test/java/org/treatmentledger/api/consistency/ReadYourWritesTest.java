package org.treatmentledger.api.consistency;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Reads see the caller's own writes" on one node: 2,001 write-then-read pairs from four concurrent clients, each
 * read sent the moment its write answered 201, and not one read without its write. The fallback poll is off
 * (one hour), and so is the cap on the coordinator's delays, so the reads are answered in time only because commits
 * wake the read models: without the wake-up the processor would look for new events every 3.3 s (its own
 * claim-extension period), beyond the reads' 2 s wait, and the reads would answer 503.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"ledger.reads.poll-interval=1h", "ledger.axon.processor-retry-max-delay=1h"})
class ReadYourWritesTest {

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-read-your-writes-");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

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

    /**
     * An event missing from the read models below a later one (as when the processor gives up on a gap in the
     * global index and skips it) is not hidden by the later one: the read answers 503, not a history without it.
     */
    @Test
    void a_read_model_missing_an_earlier_event_is_behind_even_when_it_holds_a_later_one() {
        Http http = new Http(port);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Http.Response registered = http.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\",\"registeredAt\":\"" + now.minus(300, ChronoUnit.DAYS) + "\"}");
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        String patient = registered.text("patientId");
        for (int daysAgo : new int[] {200, 100}) {
            Http.Response r = http.post("injector", "/api/patients/" + patient + "/injections",
                    LedgerTestSupport.glabella20(now.minus(daysAgo, ChronoUnit.DAYS)));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }
        assertThat(http.get("auditor", "/api/patients/" + patient + "/history").json().get("entries")).hasSize(3);

        assertThat(jdbc.update("DELETE FROM ledger_event WHERE patient_id = ? AND sequence_number = 1", patient)).isEqualTo(1);
        for (String read : new String[] {"", "/history", "/units", "/schedule", "/intervals"}) {
            Http.Response r = http.get("auditor", "/api/patients/" + patient + read);
            assertThat(r.status()).as(read + ": " + r.raw()).isEqualTo(503);
            assertThat(r.text("code")).isEqualTo("READ_MODEL_BEHIND");
            assertThat(r.header("Retry-After")).isNotBlank();
        }
    }
}
