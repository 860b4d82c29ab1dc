package org.treatmentledger.api.integrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.api.eventstore.EventTableSql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The highest global index below which no event can still appear: every global index up to it was either committed
 * (and is visible) or rolled back (a gap forever).
 * <p>
 * Why it is needed: the global index is taken from a sequence when a row is inserted, but transactions commit in
 * their own order, so index 11 can be visible while index 10's transaction is still running. A sealer that moved
 * past 10 would skip it forever when it commits; one that waited for every gap to fill would wait forever for the
 * gaps of rolled-back transactions. Axon's tracking processors settle this with a gap timeout (an index missing for
 * longer than {@code gap-timeout} is given up), which is a guess: a transaction slower than the timeout is missed.
 * <p>
 * This settles it with facts of PostgreSQL instead. An {@code INSERT INTO domainevententry} takes the table's
 * RowExclusiveLock before its rows draw their indexes from the sequence (cache 1, V1), and holds it until its
 * transaction ends. So, reading first the sequence's last value H and then the transactions holding that lock (from
 * {@code pg_locks}), every index up to H belongs to a transaction that has ended or is in that set; once none of
 * that set holds the lock any longer, every index up to H is final. Each observation is kept until its set has
 * drained, so a long transaction holds the horizon back (correctly) without stopping the observations after it.
 */
public final class SealHorizon {

    private record Observation(long upTo, Set<String> inFlight) { }

    private final JdbcTemplate jdbc;
    private final String lastDrawn;
    private final String writing;
    private final Deque<Observation> pending = new ArrayDeque<>();
    private long safe;

    /** The horizon of the event table's global index. */
    SealHorizon(JdbcTemplate jdbc) {
        this(jdbc, EventTableSql.lastGlobalIndexDrawn(), EventTableSql.writingTransactions());
    }

    /**
     * The horizon of another append-only table whose rows draw their ids from a sequence of cache 1 (the access
     * log's): {@code lastDrawn} answers the sequence's last value (0 before the first), {@code writing} the virtual
     * transaction ids of the other sessions holding the table's RowExclusiveLock.
     */
    public SealHorizon(JdbcTemplate jdbc, String lastDrawn, String writing) {
        this.jdbc = jdbc;
        this.lastDrawn = lastDrawn;
        this.writing = writing;
    }

    /** Observes the store once more and answers the highest global index known to be final. */
    public synchronized long advance() {
        // The order matters: the sequence first, then the writers (see the class comment).
        Long last = jdbc.queryForObject(lastDrawn, Long.class);
        Set<String> writers = new HashSet<>(jdbc.queryForList(writing, String.class));
        while (!pending.isEmpty() && disjoint(pending.peekFirst().inFlight(), writers)) {
            safe = Math.max(safe, pending.removeFirst().upTo());
        }
        long upTo = last == null ? 0 : last;
        Set<String> inFlight = writers;
        if (inFlight.isEmpty() && pending.isEmpty()) {
            safe = Math.max(safe, upTo);
        } else if (upTo > safe && (pending.isEmpty() || pending.peekLast().upTo() < upTo)) {
            pending.addLast(new Observation(upTo, inFlight));
        }
        return safe;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        for (String x : a) if (b.contains(x)) return false;
        return true;
    }

    /** For tests: the transactions writing events right now, as the horizon sees them. */
    List<String> writers() {
        return jdbc.queryForList(writing, String.class);
    }
}
