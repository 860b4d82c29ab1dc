package org.treatmentledger.api.consistency;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerNodes;
import org.treatmentledger.projections.ReadModels;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Reads see the caller's own writes" across two nodes on one PostgreSQL, each write on one node and its read on
 * the other: 2,001 pairs, half each way, and not one read without its write. The read models' two segments are
 * spread over both nodes, so a patient's read model is often followed by the node that did not take the write
 * (woken by PostgreSQL's LISTEN/NOTIFY), and the reading node learns of its commit the same way. The fallback
 * poll is off (one hour) and the token claim interval is Axon's 5 s: without the notifications a node would look
 * for another node's events only every 3.3 s (its claim-extension period), beyond the reads' 2 s wait.
 */
class ReadYourWritesAcrossNodesTest {

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private EmbeddedPostgres postgres;

    @Test
    void a_read_on_one_node_shows_a_write_acknowledged_by_the_other() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
        Http a = start("node-a");
        Http b = start("node-b");
        // Steady state first: while node A hands one segment to node B (up to a token claim interval), the
        // patients of that segment have no processor and their reads answer 503, rightly. MultiNodeTest covers
        // the hand-over; this test is about the wake-ups between two running nodes.
        await().atMost(Duration.ofSeconds(30)).until(() -> contexts.stream().allMatch(c -> claimedSegments(c) == 1));

        WriteThenReadPairs.Result ab = WriteThenReadPairs.run(a, b, Integer.getInteger("ryw.patients", 667) / 2 + 1, 4);
        WriteThenReadPairs.Result ba = WriteThenReadPairs.run(b, a, Integer.getInteger("ryw.patients", 667) / 2, 4);
        for (var r : List.of(ab, ba)) {
            System.out.printf("ReadYourWritesAcrossNodesTest: %d pairs in %.1f s, read after write p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d misses%n",
                    r.pairs(), r.seconds(), r.percentileMicros(0.50) / 1e3, r.percentileMicros(0.99) / 1e3,
                    r.percentileMicros(1.0) / 1e3, r.misses().size());
        }
        assertThat(ab.misses()).as("written on node A, read on node B").isEmpty();
        assertThat(ba.misses()).as("written on node B, read on node A").isEmpty();
        assertThat(ab.readMicros().size() + ba.readMicros().size()).isEqualTo(ab.pairs() + ba.pairs());
    }

    private Http start(String id) {
        ConfigurableApplicationContext context = LedgerNodes.start(postgres.getJdbcUrl("postgres", "postgres"), id,
                "--ledger.cluster.segments=2",
                "--ledger.reads.poll-interval=1h",
                "--ledger.axon.processor-retry-max-delay=1h");
        contexts.add(context);
        return new Http(LedgerNodes.port(context));
    }

    private static int claimedSegments(ConfigurableApplicationContext context) {
        return context.getBean(EventProcessingConfiguration.class)
                .eventProcessor(ReadModels.PROCESSOR, StreamingEventProcessor.class)
                .map(p -> p.processingStatus().size()).orElse(0);
    }

    @AfterEach
    void stop() throws Exception {
        for (ConfigurableApplicationContext c : contexts) if (c.isActive()) c.close();
        if (postgres != null) postgres.close();
    }
}
