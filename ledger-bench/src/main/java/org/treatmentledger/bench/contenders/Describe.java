package org.treatmentledger.bench.contenders;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** What a contender really runs with, read from its live context, for the report. */
public final class Describe {

    private Describe() { }

    public static Map<String, Object> of(AxonContender c) {
        Map<String, Object> m = new LinkedHashMap<>();
        var ctx = c.context();
        m.put("storageEngine", c.storageEngine());
        m.put("tokenStore", ctx.getBeansOfType(TokenStore.class).values().stream().map(t -> t.getClass().getSimpleName()).toList());
        Map<String, Object> processors = new TreeMap<>();
        for (Map.Entry<String, EventProcessor> e : c.eventProcessing().eventProcessors().entrySet()) {
            processors.put(e.getKey(), e.getValue().getClass().getSimpleName()
                    + (e.getValue() instanceof StreamingEventProcessor s ? " (max capacity " + s.maxCapacity() + ")" : ""));
        }
        m.put("eventProcessors", processors);
        m.put("snapshotters", ctx.getBeansOfType(Snapshotter.class).values().stream().map(s -> s.getClass().getSimpleName()).toList());
        m.put("snapshotTriggerBeans", ctx.getBeansOfType(SnapshotTriggerDefinition.class).keySet());
        m.put("cacheBeans", ctx.getBeansOfType(Cache.class).keySet());
        DataSource ds = ctx.getBeansOfType(DataSource.class).values().stream().findFirst().orElse(null);
        if (ds instanceof com.zaxxer.hikari.HikariDataSource h) m.put("connectionPoolMax", h.getMaximumPoolSize());
        m.put("properties", properties(ctx.getEnvironment()));
        return m;
    }

    /** axon.*, ledger.* and pool settings as the context resolved them (passwords left out). */
    private static Map<String, String> properties(ConfigurableEnvironment env) {
        Map<String, String> out = new TreeMap<>();
        for (PropertySource<?> source : env.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> e)) continue;
            for (String name : e.getPropertyNames()) {
                boolean wanted = name.startsWith("axon.") || name.startsWith("ledger.") || name.startsWith("spring.datasource.hikari.")
                        || name.startsWith("spring.jpa.") || name.equals("spring.autoconfigure.exclude");
                if (wanted && !name.toLowerCase().contains("password") && !out.containsKey(name)) {
                    out.put(name, env.getProperty(name));
                }
            }
        }
        return out;
    }
}
