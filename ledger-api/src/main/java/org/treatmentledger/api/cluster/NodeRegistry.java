package org.treatmentledger.api.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.AxonTables;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;

/**
 * This node's heartbeat row in {@code ledger_node} and the cluster's live nodes as seen from here.
 *
 * <p>Every {@code ledger.cluster.heartbeat-interval} the node refreshes its row (one short autocommit
 * statement), counts the nodes seen within the token claim timeout (the database's clock decides, so clock skew
 * between nodes does not matter), reads how many segments each processor has, and deletes rows of nodes gone for
 * longer than {@code ledger.cluster.dead-node-retention}. The heartbeat is per-node by nature: it is not work
 * that must survive a node, it simply stops with it.
 *
 * <p>Started before the event processors (lower phase) and stopped after them, so the first coordination round
 * already sees the other nodes; a node that shuts down cleanly removes its row, so the others rebalance at once.
 */
public class NodeRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    /** Axon starts event processors in phase Integer.MAX_VALUE / 2 (Spring lifecycle of its configuration). */
    static final int PHASE = Integer.MAX_VALUE / 2 - 1000;

    private final JdbcTemplate jdbc;
    private final AxonTables axonTables;
    private final String nodeId;
    private final Duration heartbeatInterval;
    private final Duration liveWindow;
    private final Duration deadNodeRetention;
    private volatile int liveNodes = 1;
    private volatile List<String> liveNodeIds = List.of();
    private final Map<String, Integer> segmentCounts = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;
    private volatile boolean running;

    public NodeRegistry(JdbcTemplate jdbc, AxonTables axonTables, NodeId nodeId, ClusterProperties properties, Duration claimTimeout) {
        this.jdbc = jdbc;
        this.axonTables = axonTables;
        this.nodeId = nodeId.value();
        this.heartbeatInterval = properties.heartbeatInterval();
        this.liveWindow = claimTimeout;
        this.deadNodeRetention = properties.deadNodeRetention();
        if (heartbeatInterval.compareTo(claimTimeout) >= 0) {
            throw new IllegalStateException("ledger.cluster.heartbeat-interval (" + heartbeatInterval
                    + ") must be shorter than axon.eventhandling.tokenstore.claim-timeout (" + claimTimeout + ")");
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /** Nodes seen within the claim timeout, this one included (at least 1). */
    public int liveNodes() {
        return liveNodes;
    }

    public List<String> liveNodeIds() {
        return liveNodeIds;
    }

    /** Segments of the processor's token rows at the last heartbeat, or empty if it has none yet. */
    public Integer segmentCount(String processorName) {
        return segmentCounts.get(processorName);
    }

    @Override
    public synchronized void start() {
        jdbc.update("INSERT INTO ledger_node (node_id, started_at, last_seen) VALUES (?, now(), now()) "
                + "ON CONFLICT (node_id) DO UPDATE SET last_seen = now()", nodeId);
        refresh();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-heartbeat-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        long every = heartbeatInterval.toMillis();
        executor.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        running = true;
        log.info("Node {} joined; {} live node(s): {}", nodeId, liveNodes, liveNodeIds);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) executor.shutdownNow();
        try {
            jdbc.update("DELETE FROM ledger_node WHERE node_id = ?", nodeId);
            log.info("Node {} left the cluster", nodeId);
        } catch (RuntimeException e) {
            log.warn("Node {} could not remove its heartbeat row ({}); it expires after the claim timeout",
                    nodeId, e.getClass().getSimpleName());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void beat() {
        try {
            jdbc.update("INSERT INTO ledger_node (node_id, started_at, last_seen) VALUES (?, now(), now()) "
                    + "ON CONFLICT (node_id) DO UPDATE SET last_seen = now()", nodeId);
            refresh();
            jdbc.update("DELETE FROM ledger_node WHERE last_seen < now() - make_interval(secs => ?)",
                    (double) deadNodeRetention.toMillis() / 1000.0);
        } catch (RuntimeException e) {
            // Keep beating: a database hiccup must not end the heartbeat for good.
            log.warn("Heartbeat of node {} failed: {}", nodeId, e.toString());
        }
    }

    void refresh() {
        List<String> live = jdbc.queryForList("SELECT node_id FROM ledger_node "
                        + "WHERE last_seen >= now() - make_interval(secs => ?) ORDER BY node_id", String.class,
                (double) liveWindow.toMillis() / 1000.0);
        if (!live.contains(nodeId)) {
            live = new ArrayList<>(live);
            live.add(nodeId);
        }
        int before = liveNodes;
        liveNodeIds = List.copyOf(live);
        liveNodes = Math.max(1, live.size());
        if (before != liveNodes && running) {
            log.info("Node {} sees {} live node(s): {}", nodeId, liveNodes, liveNodeIds);
        }
        segmentCounts.putAll(axonTables.segmentsPerProcessor());
    }
}
