package org.treatmentledger.bench.contenders;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.context.ConfigurableApplicationContext;
import org.treatmentledger.core.api.PatientEvent;

import java.util.Map;

/** A running Axon application (ours or the peer) the workloads talk to through its command gateway. */
public final class AxonContender implements AutoCloseable {

    /** Every command carries the caller, as the API puts it in metadata. */
    private static final Map<String, String> META = Map.of(PatientEvent.RECORDED_BY, "bench");

    private final String name;
    private final ConfigurableApplicationContext context;
    private final CommandGateway commands;

    public AxonContender(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
        this.commands = context.getBean(CommandGateway.class);
    }

    public String name() { return name; }

    public ConfigurableApplicationContext context() { return context; }

    public QueryGateway queries() { return context.getBean(QueryGateway.class); }

    public EventProcessingConfiguration eventProcessing() { return context.getBean(EventProcessingConfiguration.class); }

    public EventStore eventStore() { return context.getBean(EventStore.class); }

    /** Sends a command and waits for its result, as the HTTP controller does. */
    public <R> R send(Object command) {
        return commands.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(META));
    }

    /** The storage engine class really in use: the report states it, and the run checks it. */
    /**
     * Commits and the commands they held so far, from the service's group-commit summary
     * ({@code ledger.eventstore.commit.commands}); null where the contender has none (the peer, group commit off).
     */
    public double[] commitsAndCommands() {
        var registries = context.getBeansOfType(io.micrometer.core.instrument.MeterRegistry.class);
        for (var registry : registries.values()) {
            var summary = registry.find("ledger.eventstore.commit.commands").summary();
            if (summary != null) return new double[] {summary.count(), summary.totalAmount()};
        }
        return null;
    }

    public String storageEngine() {
        Map<String, EventStorageEngine> engines = context.getBeansOfType(EventStorageEngine.class);
        return engines.values().stream().map(e -> e.getClass().getName()).sorted().toList().toString();
    }

    @Override
    public void close() { context.close(); }
}
