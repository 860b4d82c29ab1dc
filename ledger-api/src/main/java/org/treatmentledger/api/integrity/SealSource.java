package org.treatmentledger.api.integrity;

import org.treatmentledger.api.http.ServiceUnavailableException;

import java.util.List;
import java.util.Optional;

/**
 * Where the sealer, the whole-store check and the evidence bundles read the stored events from: the JDBC event
 * table ({@link JdbcSealSource}) or Axon Server's event stream ({@link AxonServerSealSource}). An event's
 * <em>position</em> is its place in the store's one append order ({@link TreeStore.StoredEvent#globalIndex()}: the
 * JDBC global index, or Axon Server's token); {@code ledger_leaf.global_index} keeps the position of each leaf's
 * event, and the last leaf's is how far sealing got (it commits with the leaves, so nothing is sealed twice).
 */
public interface SealSource {

    /** The position before the first event: nothing has been sealed when the tree is empty. */
    long start();

    /**
     * The highest position up to which the stream is final: no event can still appear at or below it (the JDBC
     * store needs {@link SealHorizon} for that; Axon Server's last token is final as soon as it is visible).
     */
    long horizon();

    /** The events with a position in (after, upTo], in position order, at most {@code limit}. */
    List<TreeStore.StoredEvent> eventsBetween(long after, long upTo, int limit);

    /**
     * True when the events are rows of the event table in the ledger's own PostgreSQL: the whole-store check and the
     * evidence bundles then read them with SQL, in the same snapshot as the leaves.
     */
    boolean inEventTable();

    /** One patient's events in sequence order (positions may be unknown there: -1). */
    List<TreeStore.StoredEvent> patientEvents(String patientId);

    /** The highest sequence number of a patient's events, empty when it has none. */
    Optional<Long> lastSequenceNumber(String patientId);

    /**
     * The events could not be read because the store is unreachable: a sealing round to retry, not a failure of the
     * log; a request that needed them answers 503 (a {@link ServiceUnavailableException}).
     */
    class UnavailableException extends ServiceUnavailableException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
