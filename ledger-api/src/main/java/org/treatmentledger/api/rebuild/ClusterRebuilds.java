package org.treatmentledger.api.rebuild;

import org.treatmentledger.api.cluster.ClusterProperties;
import org.treatmentledger.api.cluster.NodeRegistry;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.AxonTables;
import org.springframework.stereotype.Component;
import org.treatmentledger.projections.rebuild.BulkRebuild;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.rebuild.RebuildProgress;
import org.treatmentledger.projections.rebuild.UnknownReadModelException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Read-model rebuilds across all nodes. Resetting a processor's tokens while another node still processes
 * the group would mix old and new rows, so a rebuild is a small protocol over two tables:
 * <ol>
 *   <li>The node that receives the request records it as PENDING ({@code ledger_rebuild}; one pending request
 *       per read model).</li>
 *   <li>Every node polls every {@code ledger.cluster.rebuild-poll-interval}; while a request is PENDING it shuts
 *       its processor for the group down (releasing its claims) and acknowledges ({@code ledger_rebuild_ack}).</li>
 *   <li>The initiating node waits until no token row of the processor has an owner and every live node has
 *       acknowledged, then resets the tokens (the read model's reset handler empties its tables). On the JDBC
 *       event store it marks the request COPYING and fills the read models in bulk
 *       ({@link BulkRebuild}), which moves the tokens to the head it
 *       reached. Then it marks the request RUNNING.</li>
 *   <li>Every node that stopped its processor starts it again once the request is neither PENDING nor COPYING;
 *       the segments spread over the nodes again and process the rest of the event store (all of it after a
 *       reset without a bulk copy, or after a failed one).</li>
 * </ol>
 * A request still PENDING after {@code ledger.cluster.rebuild-timeout}, or PENDING or COPYING while its initiator
 * is no longer live, is marked FAILED by whichever node sees it first; processors then restart (after a reset,
 * they replay event by event).
 */
@Component
public class ClusterRebuilds implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ClusterRebuilds.class);

    /** A rebuild request as stored, with the nodes that have stopped their processor for it (the group is in Status). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "RebuildRequest")
    public record Request(long id, @JsonIgnore String processingGroup, String state, Instant requestedAt, String requestedBy,
                          String initiatorNode, Instant updatedAt, String detail, List<String> acknowledgedBy) { }

    /** What GET/POST answer: this node's view of the processor plus the latest cluster-wide request. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @io.swagger.v3.oas.annotations.media.Schema(name = "RebuildStatus")
    public record Status(@JsonUnwrapped RebuildProgress progress, Request request) { }

    /** Raised when a read model already has a pending rebuild request. */
    public static class RebuildPendingException extends RuntimeException {
        public RebuildPendingException(String group) {
            super("A rebuild of read model '" + group + "' is already pending");
        }
    }

    private final JdbcTemplate jdbc;
    private final AxonTables axonTables;
    private final EventProcessingConfiguration processing;
    private final ReadModelRebuilds rebuilds;
    private final NodeRegistry nodes;
    private final ClusterProperties properties;
    /** Groups whose processor this node shut down for a request and must start again. */
    private final Set<String> stoppedHere = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;
    private volatile boolean running;

    public ClusterRebuilds(JdbcTemplate jdbc, AxonTables axonTables, EventProcessingConfiguration processing, ReadModelRebuilds rebuilds,
                           NodeRegistry nodes, ClusterProperties properties) {
        this.jdbc = jdbc;
        this.axonTables = axonTables;
        this.processing = processing;
        this.rebuilds = rebuilds;
        this.nodes = nodes;
        this.properties = properties;
    }

    /** Records a cluster-wide rebuild request; the nodes carry it out within a few poll intervals. */
    public Status request(String group, String requestedBy) {
        if (!rebuilds.readModels().contains(group)) throw new UnknownReadModelException(group);
        try {
            // Keyed by processor: read models that share one are rebuilt by one request, and a second request
            // for any of them while it is pending is refused.
            jdbc.update("INSERT INTO ledger_rebuild (processing_group, requested_by, initiator_node, state) "
                    + "VALUES (?, ?, ?, 'PENDING')", rebuilds.processorName(group), requestedBy, nodes.nodeId());
        } catch (DuplicateKeyException e) {
            throw new RebuildPendingException(group);
        }
        log.info("Rebuild of read model {} requested by {} on node {}", group, requestedBy, nodes.nodeId());
        return status(group);
    }

    public Status status(String group) {
        return new Status(rebuilds.progress(group), latest(group).orElse(null));
    }

    public List<Status> all() {
        return rebuilds.readModels().stream().map(this::status).toList();
    }

    public Optional<Request> latest(String group) {
        String processor = rebuilds.readModels().contains(group) ? rebuilds.processorName(group) : group;
        List<Request> found = jdbc.query("SELECT * FROM ledger_rebuild WHERE processing_group = ? ORDER BY id DESC LIMIT 1",
                (rs, i) -> new Request(rs.getLong("id"), rs.getString("processing_group"), rs.getString("state"),
                        rs.getTimestamp("requested_at").toInstant(), rs.getString("requested_by"),
                        rs.getString("initiator_node"), rs.getTimestamp("updated_at").toInstant(),
                        rs.getString("detail"), null), processor);
        return found.stream().findFirst().map(r -> new Request(r.id(), r.processingGroup(), r.state(), r.requestedAt(),
                r.requestedBy(), r.initiatorNode(), r.updatedAt(), r.detail(), acknowledgements(r.id())));
    }

    private List<String> acknowledgements(long id) {
        return jdbc.queryForList("SELECT node_id FROM ledger_rebuild_ack WHERE rebuild_id = ? ORDER BY node_id",
                String.class, id);
    }

    /** One round of the protocol on this node (public for tests that drive it without waiting). */
    public synchronized void poll() {
        List<Request> pending = jdbc.query("SELECT * FROM ledger_rebuild WHERE state IN ('PENDING', 'COPYING') ORDER BY id",
                (rs, i) -> new Request(rs.getLong("id"), rs.getString("processing_group"), rs.getString("state"),
                        rs.getTimestamp("requested_at").toInstant(), rs.getString("requested_by"),
                        rs.getString("initiator_node"), rs.getTimestamp("updated_at").toInstant(),
                        rs.getString("detail"), null));
        for (Request request : pending) {
            if ("COPYING".equals(request.state())) {
                // The initiator copies inside its own poll; others only watch that it stays alive.
                if (!nodes.liveNodeIds().contains(request.initiatorNode())) {
                    fail(request, "initiating node " + request.initiatorNode() + " died during the bulk copy");
                }
                continue;
            }
            if (expired(request)) {
                fail(request, "not carried out within " + properties.rebuildTimeout());
                continue;
            }
            if (!nodes.liveNodeIds().contains(request.initiatorNode())) {
                fail(request, "initiating node " + request.initiatorNode() + " is no longer live");
                continue;
            }
            stopAndAcknowledge(request);
            if (nodes.nodeId().equals(request.initiatorNode())) resetWhenEveryNodeStopped(request);
        }
        for (String group : Set.copyOf(stoppedHere)) {
            Optional<Request> latest = latest(group);
            if (latest.isEmpty() || !Set.of("PENDING", "COPYING").contains(latest.get().state())) {
                processor(group).start();
                stoppedHere.remove(group);
                log.info("Read model {} processor restarted on node {} (rebuild request {})", group, nodes.nodeId(),
                        latest.map(r -> r.id() + " " + r.state()).orElse("gone"));
            }
        }
    }

    private boolean expired(Request request) {
        Boolean expired = jdbc.queryForObject("SELECT requested_at < now() - make_interval(secs => ?) FROM ledger_rebuild WHERE id = ?",
                Boolean.class, (double) properties.rebuildTimeout().toMillis() / 1000.0, request.id());
        return Boolean.TRUE.equals(expired);
    }

    private void stopAndAcknowledge(Request request) {
        StreamingEventProcessor processor = processor(request.processingGroup());
        stoppedHere.add(request.processingGroup());
        if (processor.isRunning()) {
            // Blocks until the work packages have finished their batch and released their claims.
            processor.shutDown();
            log.info("Read model {} processor shut down on node {} for rebuild request {}", request.processingGroup(),
                    nodes.nodeId(), request.id());
        }
        jdbc.update("INSERT INTO ledger_rebuild_ack (rebuild_id, node_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                request.id(), nodes.nodeId());
    }

    private void resetWhenEveryNodeStopped(Request request) {
        int claimed = axonTables.claimedSegments(request.processingGroup());
        List<String> acknowledged = acknowledgements(request.id());
        List<String> live = nodes.liveNodeIds();
        if (claimed > 0 || !acknowledged.containsAll(live)) {
            log.debug("Rebuild {} of {} waits: {} claimed segment(s), live {}, acknowledged {}", request.id(),
                    request.processingGroup(), claimed, live, acknowledged);
            return;
        }
        try {
            rebuilds.reset(processor(request.processingGroup()));
        } catch (RuntimeException e) {
            // e.g. a node that joined after the check claimed a segment: the reset rolled back, nothing changed.
            fail(request, "token reset failed: " + e.getClass().getSimpleName());
            return;
        }
        // Axon's reset stores the new tokens claimed by this node; release them so that whichever node starts
        // first may claim them (otherwise a request that follows at once would wait for this node's claims).
        axonTables.releaseClaims(request.processingGroup(), nodes.nodeId());
        Optional<BulkRebuild> bulk = rebuilds.bulkRebuild();
        String detail = null;
        if (bulk.isPresent()) {
            jdbc.update("UPDATE ledger_rebuild SET state = 'COPYING', updated_at = now() WHERE id = ? AND state = 'PENDING'",
                    request.id());
            log.info("Read model {} reset by node {} (rebuild request {}); filling it in bulk", request.processingGroup(),
                    nodes.nodeId(), request.id());
            if (!rebuilds.runBulk(bulk.get(), request.processingGroup())) {
                detail = "bulk copy failed on " + nodes.nodeId() + ": replaying event by event";
                // The second reset claimed the tokens for this node too.
                axonTables.releaseClaims(request.processingGroup(), nodes.nodeId());
            }
        }
        jdbc.update("UPDATE ledger_rebuild SET state = 'RUNNING', updated_at = now(), detail = ? "
                + "WHERE id = ? AND state IN ('PENDING', 'COPYING')", detail, request.id());
        log.info("Read model {} reset by node {} (rebuild request {}); every node restarts its processor",
                request.processingGroup(), nodes.nodeId(), request.id());
    }

    private void fail(Request request, String why) {
        int changed = jdbc.update("UPDATE ledger_rebuild SET state = 'FAILED', updated_at = now(), detail = ? "
                + "WHERE id = ? AND state IN ('PENDING', 'COPYING')", why, request.id());
        if (changed > 0) log.warn("Rebuild request {} of read model {} failed: {}", request.id(), request.processingGroup(), why);
    }

    /** The processor a request names (requests are keyed by processor; older ones by read model). */
    private StreamingEventProcessor processor(String name) {
        return processing.eventProcessor(name, StreamingEventProcessor.class)
                .or(() -> processing.eventProcessorByProcessingGroup(name, StreamingEventProcessor.class))
                .orElseThrow(() -> new UnknownReadModelException(name));
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ledger-rebuilds-" + nodes.nodeId());
            t.setDaemon(true);
            return t;
        });
        long every = properties.rebuildPollInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                log.warn("Rebuild poll on node {} failed: {}", nodes.nodeId(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the event processors have started, stopped before them. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2 + 1000;
    }
}
