package org.treatmentledger.api.integrity;

import org.treatmentledger.verify.merkle.Rfc9162;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.verify.leaf.PatientEventLeaf;
import org.treatmentledger.verify.merkle.StoredNode;
import org.treatmentledger.verify.merkle.TreeAppender;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows the event store ({@link SealSource}: the JDBC event table, or Axon Server's event stream) and gives every
 * stored event exactly one leaf, in the store's order of positions, then signs a
 * checkpoint of the grown tree. Runs every {@code seal-interval} on each node; a transaction-scoped advisory lock
 * lets one node seal at a time while the others stand by (they find nothing left to do). Everything of one round
 * (leaves, nodes, checkpoint) commits together, so a crash leaves the log as it was before the round.
 * <p>
 * Exactly once: leaves are made only for events up to the source's horizon, below which no event can still appear
 * ({@link SealHorizon} for the JDBC store), and after the position of the last leaf, which commits with the leaves;
 * the unique global index (position) of {@code ledger_leaf} backs this up. Group commit changes nothing here: a
 * transaction of many commands is many rows of one transaction.
 */
public class Sealer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sealer.class);
    /** pg_try_advisory_xact_lock key of the sealer: "TLSEAL" in ASCII, unlikely to collide with anything else. */
    static final long LOCK_KEY = 0x544c5345414cL;

    private final JdbcTemplate jdbc;
    private final TreeStore store;
    private final TransactionTemplate transactions;
    private final IntegrityKeys keys;
    private final IntegrityProperties properties;
    private final SealSource source;
    private final Timer sealTimer;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private volatile ScheduledFuture<?> task;
    private volatile long lastSealedGlobal = Long.MIN_VALUE;
    private volatile boolean unavailable;
    private volatile boolean paused;

    public Sealer(JdbcTemplate jdbc, TreeStore store, SealSource source, TransactionTemplate transactions,
                  IntegrityKeys keys, IntegrityProperties properties, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.store = store;
        this.transactions = transactions;
        this.keys = keys;
        this.properties = properties;
        this.source = source;
        this.sealTimer = Timer.builder("ledger.integrity.seal").description("One sealing transaction that added leaves")
                .register(meters);
        scheduler.setThreadNamePrefix("ledger-sealer-");
        scheduler.setPoolSize(1);
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(10);
    }

    /** Outcome of one round. */
    public record Round(boolean sealer, long leavesAdded, long treeSize) { }

    /** One round: advance the horizon, seal what is final, sign. Answers what happened (for tests and the bench). */
    public synchronized Round sealOnce() {
        long safe = source.horizon();
        if (safe <= lastSealedGlobal) return new Round(false, 0, -1);
        long added = 0;
        Round round;
        do {
            long started = System.nanoTime();
            round = transactions.execute(status -> sealBatch(safe));
            if (round == null) return new Round(false, added, -1);
            if (round.leavesAdded() > 0) sealTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            added += round.leavesAdded();
        } while (round.sealer() && round.leavesAdded() == properties.sealBatchSize());
        return new Round(round.sealer(), added, round.treeSize());
    }

    private Round sealBatch(long safe) {
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
        if (!Boolean.TRUE.equals(locked)) return new Round(false, 0, -1);
        // Leaves, nodes and checkpoints are derived from committed events in one fixed order, so a round that a
        // crash loses is sealed again to the same tree; its commit need not wait for the WAL flush that commands wait on.
        jdbc.execute("SET LOCAL synchronous_commit = off");
        TreeStore.Tip tip = store.tip();
        long after = tip.size() == 0 ? source.start() : tip.lastGlobalIndex();
        List<TreeStore.StoredEvent> events = tip.size() == 0 || source.inEventTable()
                ? source.eventsBetween(after, safe, properties.sealBatchSize())
                : continuing(tip, source.eventsBetween(after - 1, safe, properties.sealBatchSize() + 1));
        long latest = store.latestCheckpoint().map(TreeStore.CheckpointRow::treeSize).orElse(-1L);
        if (events.isEmpty()) {
            if (latest < tip.size()) sign(tip.size(), TreeAppender.resume(tip.size(), store).rootHash());
            lastSealedGlobal = Math.max(after, safe);
            return new Round(true, 0, tip.size());
        }
        TreeAppender appender = TreeAppender.resume(tip.size(), store);
        Map<String, byte[]> previous = store.lastLeafHashes(events.stream().map(TreeStore.StoredEvent::patientId)
                .distinct().toList());
        List<TreeStore.Leaf> leaves = new ArrayList<>(events.size());
        List<StoredNode> nodes = new ArrayList<>(events.size() * 2);
        long index = tip.size();
        for (TreeStore.StoredEvent event : events) {
            byte[] prev = previous.getOrDefault(event.patientId(), PatientEventLeaf.noPreviousLeaf());
            PatientEventLeaf leaf = PatientEventLeaf.of(event.patientId(), event.sequenceNumber(), event.type(),
                    event.payload(), event.metadataBytes(), event.timestamp(), prev);
            byte[] bytes = leaf.encode();
            byte[] hash = Rfc9162.leafHash(bytes);
            leaves.add(new TreeStore.Leaf(index++, event.globalIndex(), event.patientId(), event.sequenceNumber(),
                    bytes, hash));
            nodes.addAll(appender.append(hash));
            previous.put(event.patientId(), hash);
        }
        store.insertLeaves(leaves, nodes);
        sign(appender.size(), appender.rootHash());
        lastSealedGlobal = events.size() < properties.sealBatchSize() ? safe
                : events.get(events.size() - 1).globalIndex();
        return new Round(true, events.size(), appender.size());
    }

    /**
     * A stream outside this database (Axon Server) is read from the last leaf's own event on, which must still be
     * that leaf's patient and sequence number: a tree made from another store (the JDBC event table before a
     * migration, another context, an older backup of Axon Server) is refused loudly instead of being continued at a
     * position that means something else there. Answers the events after it.
     */
    private static List<TreeStore.StoredEvent> continuing(TreeStore.Tip tip, List<TreeStore.StoredEvent> read) {
        TreeStore.StoredEvent last = read.isEmpty() ? null : read.get(0);
        if (last == null || last.globalIndex() != tip.lastGlobalIndex() || !last.patientId().equals(tip.lastPatientId())
                || last.sequenceNumber() != tip.lastSequenceNumber()) {
            throw new IllegalStateException("The log's last leaf (index " + (tip.size() - 1) + ") was made from the event "
                    + "at position " + tip.lastGlobalIndex() + ", patient " + tip.lastPatientId() + " sequence "
                    + tip.lastSequenceNumber() + ", but the event store has " + (last == null ? "no event"
                    : "patient " + last.patientId() + " sequence " + last.sequenceNumber()) + " there: the log was not "
                    + "made from this event store, and nothing is sealed (docs/INTEGRITY.md, \"Axon Server\")");
        }
        return read.subList(1, read.size());
    }

    private void sign(long size, byte[] root) {
        store.log().sign(keys.signer(), size, root);
    }

    /** For tests that tamper with the store: no rounds while paused. */
    void pause(boolean pause) {
        this.paused = pause;
    }

    private void tick() {
        if (paused) return;
        try {
            sealOnce();
            if (unavailable) log.info("Sealing resumed: the event store answers again");
            unavailable = false;
        } catch (SealSource.UnavailableException e) {
            // Axon Server away: said once per outage (its own health check reports it), retried every round.
            if (!unavailable) {
                log.warn("Sealing skipped while the event store is unreachable ({}: {}); retried every round",
                        e.getMessage(), Problems.causeChain(e));
            }
            unavailable = true;
        } catch (RuntimeException e) {
            // The next round retries: nothing of a failed round was stored.
            if (Problems.databaseUnavailable(e)) log.warn("Sealing skipped: {}", Problems.causeChain(e));
            else log.error("Sealing failed; retrying next round", e);
        }
    }

    @Override
    public void start() {
        scheduler.initialize();
        Duration interval = properties.sealInterval();
        task = scheduler.scheduleWithFixedDelay(this::tick, interval);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> running = task;
        if (running != null) running.cancel(false);
        scheduler.shutdown();
        task = null;
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }

    /** After Flyway and the event store are up; stops before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
