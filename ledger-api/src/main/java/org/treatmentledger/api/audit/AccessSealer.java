package org.treatmentledger.api.audit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.api.integrity.SealHorizon;
import org.treatmentledger.verify.leaf.AccessRecordLeaf;
import org.treatmentledger.verify.merkle.Rfc9162;
import org.treatmentledger.verify.merkle.StoredNode;
import org.treatmentledger.verify.merkle.TreeAppender;
import org.treatmentledger.verify.note.NoteSigner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives every access record exactly one leaf of the access log's tree, in id order, and signs a checkpoint of the
 * grown tree with the ledger's key under the access log's origin. The event log's sealer (api.integrity.Sealer) does
 * the same for events; this one shares its horizon ({@link SealHorizon} over access_log's sequence), its tree tables'
 * code (MerkleLog) and ledger-verify's algorithms, and differs in what a leaf is and which chain it extends (the
 * record's patient's). It runs off the request path: a read only waits for its record's commit, as before.
 */
class AccessSealer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessSealer.class);
    /** pg_try_advisory_xact_lock key: "TLACCS" in ASCII, apart from the event sealer's "TLSEAL". */
    static final long LOCK_KEY = 0x544c41434353L;

    private final JdbcTemplate jdbc;
    private final AccessLogTree tree;
    private final TransactionTemplate transactions;
    private final NoteSigner signer;
    private final Duration interval;
    private final int batchSize;
    private final SealHorizon horizon;
    private final Timer sealTimer;
    private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    private volatile ScheduledFuture<?> task;
    private volatile long lastSealedId = -1;

    AccessSealer(JdbcTemplate jdbc, AccessLogTree tree, TransactionTemplate transactions, NoteSigner signer,
                 Duration interval, int batchSize, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tree = tree;
        this.transactions = transactions;
        this.signer = signer;
        this.interval = interval;
        this.batchSize = batchSize;
        this.horizon = new SealHorizon(jdbc, AccessLogTree.LAST_ID_DRAWN, AccessLogTree.WRITING);
        this.sealTimer = Timer.builder("ledger.audit.seal").description("One access-log sealing transaction that added leaves")
                .register(meters);
        scheduler.setThreadNamePrefix("ledger-access-sealer-");
        scheduler.setPoolSize(1);
        scheduler.setWaitForTasksToCompleteOnShutdown(true);
        scheduler.setAwaitTerminationSeconds(10);
    }

    record Round(boolean sealer, long leavesAdded, long treeSize) { }

    /** One round: advance the horizon, seal every final record, sign. */
    synchronized Round sealOnce() {
        long safe = horizon.advance();
        if (safe <= lastSealedId) return new Round(false, 0, -1);
        long added = 0;
        Round round;
        do {
            long started = System.nanoTime();
            round = transactions.execute(status -> sealBatch(safe));
            if (round == null) return new Round(false, added, -1);
            if (round.leavesAdded() > 0) sealTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            added += round.leavesAdded();
        } while (round.sealer() && round.leavesAdded() == batchSize);
        return new Round(round.sealer(), added, round.treeSize());
    }

    private Round sealBatch(long safe) {
        Boolean locked = jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?)", Boolean.class, LOCK_KEY);
        if (!Boolean.TRUE.equals(locked)) return new Round(false, 0, -1);
        // Leaves come from committed records in one fixed order: a round a crash loses is sealed again the same way.
        jdbc.execute("SET LOCAL synchronous_commit = off");
        AccessLogTree.Tip tip = tree.tip();
        List<AccessLogTree.Stored> records = tree.recordsBetween(tip.lastRecordId(), safe, batchSize);
        long latest = tree.log().latestCheckpoint().map(c -> c.treeSize()).orElse(-1L);
        if (records.isEmpty()) {
            if (latest < tip.size() && tip.size() > 0) {
                tree.log().sign(signer, tip.size(), TreeAppender.resume(tip.size(), tree.log()).rootHash());
            }
            lastSealedId = Math.max(tip.lastRecordId(), safe);
            return new Round(true, 0, tip.size());
        }
        TreeAppender appender = TreeAppender.resume(tip.size(), tree.log());
        Map<String, AccessLogTree.ChainTip> chains = tree.chainTips(records.stream()
                .map(AccessLogTree.Stored::patientKey).distinct().toList());
        List<AccessLogTree.Leaf> leaves = new ArrayList<>(records.size());
        List<StoredNode> nodes = new ArrayList<>(records.size() * 2);
        long index = tip.size();
        for (AccessLogTree.Stored r : records) {
            AccessLogTree.ChainTip chain = chains.get(r.patientKey());
            long position = chain == null ? 0 : chain.sequence() + 1;
            byte[] previous = chain == null ? AccessRecordLeaf.noPreviousLeaf() : chain.leafHash();
            byte[] bytes = leafOf(r, position, previous).encode();
            byte[] hash = Rfc9162.leafHash(bytes);
            leaves.add(new AccessLogTree.Leaf(index++, r.id(), r.patientKey(), position, bytes, hash));
            nodes.addAll(appender.append(hash));
            chains.put(r.patientKey(), new AccessLogTree.ChainTip(position, hash));
        }
        tree.insertLeaves(leaves);
        tree.log().insertNodes(nodes);
        tree.log().sign(signer, appender.size(), appender.rootHash());
        lastSealedId = records.size() < batchSize ? safe : records.get(records.size() - 1).id();
        return new Round(true, records.size(), appender.size());
    }

    static AccessRecordLeaf leafOf(AccessLogTree.Stored r, long position, byte[] previous) {
        return new AccessRecordLeaf(r.id(), r.at(), r.user(), r.role(), r.clinic(), r.callerClinics(), r.patientId(),
                position, r.action(), r.resource(), r.status(), r.purpose(), previous);
    }

    private void tick() {
        try {
            sealOnce();
        } catch (RuntimeException e) {
            // The next round retries: nothing of a failed round was stored.
            if (Problems.databaseUnavailable(e)) log.warn("Access log sealing skipped: {}", Problems.causeChain(e));
            else log.error("Access log sealing failed; retrying next round", e);
        }
    }

    @Override
    public void start() {
        scheduler.initialize();
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

    /** After Flyway; stops before the data source closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
