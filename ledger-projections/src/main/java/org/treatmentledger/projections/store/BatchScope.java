package org.treatmentledger.projections.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Collects a read model's writes for the whole processor batch and writes them once, just before the batch's
 * transaction commits (with the token, so rows and position stay atomic). A pooled processor hands a handler up
 * to a batch of events in one unit of work; writing row by row cost a database round trip per event and per
 * read model, which is what made rebuilds slow. Outside a unit of work (a handler called directly) the writes
 * are flushed at once.
 */
public final class BatchScope {

    /** Pending writes that {@link #flush()} sends to the database. */
    public interface Batch {
        void flush();
    }

    private BatchScope() { }

    /**
     * The aggregates (patients) of the events in the current processor batch, so a read model can load what it
     * needs for all of them in one query instead of one per patient; empty outside a batch.
     */
    public static Set<String> aggregatesInBatch() {
        if (!CurrentUnitOfWork.isStarted()) return Set.of();
        if (!(CurrentUnitOfWork.get().root() instanceof BatchingUnitOfWork<?> batch)) return Set.of();
        Set<String> ids = new LinkedHashSet<>();
        for (Message<?> message : batch.getMessages()) {
            if (message instanceof DomainEventMessage<?> event) ids.add(event.getAggregateIdentifier());
        }
        return ids;
    }

    /**
     * Runs {@code action} on this unit of work's batch named {@code key}, created by {@code factory} on first use
     * and flushed when the unit of work prepares to commit. If {@code action} throws, it must leave the batch
     * unchanged (the event is then dead-lettered or retried, and must not be half written).
     */
    public static <B extends Batch> void with(String key, Supplier<B> factory, Consumer<B> action) {
        if (!CurrentUnitOfWork.isStarted()) {
            B batch = factory.get();
            action.accept(batch);
            batch.flush();
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        B batch = root.getOrComputeResource(BatchScope.class.getName() + ":" + key, k -> {
            B created = factory.get();
            root.onPrepareCommit(u -> created.flush());
            return created;
        });
        action.accept(batch);
    }
}
