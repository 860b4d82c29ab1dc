package org.treatmentledger.api.eventstore;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * The JDBC event store with group commit ({@code ledger.axon.group-commit}): the events of commands that append
 * at the same moment are inserted in one transaction (see {@link GroupCommit}). Each command still returns only
 * after its own events are committed, and an append that lost a race on its sequence number fails alone.
 * <p>
 * Only appends made outside a transaction are grouped: commands run without one (CommandHandlingConfiguration's command
 * bus) and their append is their only write. An append inside a caller's transaction joins that transaction,
 * as before, so that it commits or rolls back with whatever else the caller wrote.
 * <p>
 * Why: on a small machine a command's cost was mostly PostgreSQL's per-transaction work (a statement and a
 * commit with its WAL flush per command); grouped, 32 concurrent commands need a few commits instead of 32.
 */
public final class GroupCommitEventStorageEngine implements EventStorageEngine {

    /** Sorts a group's writes by stream, so two nodes' groups lock their streams' keys in the same order. */
    private static final Comparator<List<? extends EventMessage<?>>> BY_STREAM =
            Comparator.comparing(GroupCommitEventStorageEngine::streamOf);

    private final EventStorageEngine delegate;
    private final EventStorageEngine singleRows;
    private final Serializer eventSerializer;
    private final GroupCommit<List<? extends EventMessage<?>>> commits;
    private final CompanionRows companions;
    private final CompanionStatements statements;

    /**
     * @param delegate        the JDBC storage engine; each of its appends is one transaction of its own
     * @param singleRows      the same store without a transaction: used when a whole transaction would be one
     *                        row, which one autocommit INSERT stores as atomically, in one round trip instead of
     *                        two (statement, then COMMIT), and for the processors' event stream
     * @param eventSerializer the delegate's event serializer, so events are serialized by the caller's thread
     *                        (the messages keep their serialized form) rather than by the group's leader
     * @param maxEvents       events per group transaction at most
     * @param groupSizes      told the number of commands in each committed group
     * @param companions      rows stored in the events' statement (a new patient's data key), made while the
     *                        caller's thread serializes its events
     * @param statements      where the events' statements find the companion rows of the writes they store (the
     *                        same instance as the delegates' {@link CompanionStatements})
     */
    public GroupCommitEventStorageEngine(EventStorageEngine delegate, EventStorageEngine singleRows,
                                         Serializer eventSerializer, int maxEvents, IntConsumer groupSizes,
                                         CompanionRows companions, CompanionStatements statements) {
        this.companions = companions;
        this.statements = statements;
        this.delegate = delegate;
        this.singleRows = singleRows;
        this.eventSerializer = eventSerializer;
        this.commits = new GroupCommit<>(this::appendTogether, this::appendAlone,
                GroupCommitEventStorageEngine::lostRace, List::size, maxEvents, groupSizes);
    }

    @Override
    public void appendEvents(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) return;
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            delegate.appendEvents(events);
            return;
        }
        Set<String> newStreams = new HashSet<>();
        for (EventMessage<?> event : events) {
            if (event instanceof DomainEventMessage<?> domain && domain.getSequenceNumber() == 0
                    && domain.getAggregateIdentifier() != null) {
                newStreams.add(domain.getAggregateIdentifier());
            }
        }
        CompanionRows.Rows rows = companions.collect(newStreams, () -> {
            for (EventMessage<?> event : events) {
                event.serializePayload(eventSerializer, byte[].class);
                event.serializeMetaData(eventSerializer, byte[].class);
            }
        });
        if (rows == null) {
            commits.commit(events);
            return;
        }
        // Kept until the commit returns: a group written again one write at a time stores them again.
        statements.attach(events.get(0), rows);
        try {
            commits.commit(events);
            rows.stored();
        } catch (RuntimeException | Error e) {
            rows.notStored();
            throw e;
        } finally {
            statements.detach(events.get(0));
        }
    }

    private void appendTogether(List<List<? extends EventMessage<?>>> writes) {
        if (writes.size() == 1) {
            appendAlone(writes.get(0));
            return;
        }
        List<List<? extends EventMessage<?>>> sorted = new ArrayList<>(writes);
        sorted.sort(BY_STREAM);
        List<EventMessage<?>> all = new ArrayList<>();
        sorted.forEach(all::addAll);
        delegate.appendEvents(all);
    }

    private void appendAlone(List<? extends EventMessage<?>> events) {
        (events.size() == 1 ? singleRows : delegate).appendEvents(events);
    }

    /** How Axon's JDBC engine reports a duplicate key: the one failure that can be one write's fault alone. */
    private static boolean lostRace(Throwable failure) {
        return failure instanceof ConcurrencyException || failure instanceof AggregateStreamCreationException;
    }

    private static String streamOf(List<? extends EventMessage<?>> write) {
        return write.get(0) instanceof DomainEventMessage<?> domain && domain.getAggregateIdentifier() != null
                ? domain.getAggregateIdentifier() : "";
    }

    @Override
    public void storeSnapshot(DomainEventMessage<?> snapshot) {
        delegate.storeSnapshot(snapshot);
    }

    /**
     * The processors' event stream reads through the autocommit engine: each fetch is then one statement, one round
     * trip, instead of BEGIN, the query and COMMIT on a transaction of its own. A fetch only reads committed rows,
     * so a transaction around it adds nothing; the read models' processor fetches at every wake-up.
     */
    @Override
    public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
        return singleRows.readEvents(trackingToken, mayBlock);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier) {
        return delegate.readEvents(aggregateIdentifier);
    }

    @Override
    public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
        return delegate.readEvents(aggregateIdentifier, firstSequenceNumber);
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        return delegate.readSnapshot(aggregateIdentifier);
    }

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        return delegate.lastSequenceNumberFor(aggregateIdentifier);
    }

    @Override
    public TrackingToken createTailToken() {
        return delegate.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return delegate.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return delegate.createTokenAt(dateTime);
    }
}
