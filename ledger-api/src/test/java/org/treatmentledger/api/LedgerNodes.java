package org.treatmentledger.api;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** Ledger nodes for the several-node tests: full application contexts on a random port sharing one PostgreSQL. */
public final class LedgerNodes {

    private LedgerNodes() { }

    /** A node with its own id on the given database; {@code extra} adds or overrides properties (--name=value). */
    public static ConfigurableApplicationContext start(String jdbcUrl, String nodeId, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.maximum-pool-size=12",
                "--server.port=0",
                "--ledger.node-id=" + nodeId,
                "--ledger.cluster.heartbeat-interval=500ms",
                "--spring.lifecycle.timeout-per-shutdown-phase=5s",
                "--spring.main.banner-mode=off"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(LedgerApplication.class).run(args.toArray(String[]::new));
    }

    public static int port(ConfigurableApplicationContext node) {
        return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
