package org.treatmentledger.projections.history;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.BatchScope;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.EventRowsBatch;
import org.treatmentledger.projections.store.PatientEventTable;

import java.util.List;
import java.util.Optional;

/**
 * Audit timeline read model: keeps every patient event with its recordedAt ({@code ledger_event}), so any asOf
 * can be answered. The schedule, unit history, intervals, durability and lots read models read the same rows.
 */
@Component
@ProcessingGroup(ReadModels.HISTORY)
public class HistoryProjection {

    private final PatientEventTable events;
    private final Serializer serializer;
    private final HistoryCalculator calculator = new HistoryCalculator();

    /** {@code serializer}: the event store's (its stored payload bytes are then kept as they are, not re-serialised). */
    public HistoryProjection(JdbcTemplate jdbc, @Qualifier("eventSerializer") Serializer serializer, EventCodec codec) {
        this.events = new PatientEventTable(jdbc, codec);
        this.serializer = serializer;
    }

    /**
     * Keeps the event as the event store holds it: its stored payload bytes are copied (as the bulk rebuild copies
     * them) instead of serialising the event again. The event parameter still makes Axon deserialise it: an
     * event this version cannot read goes to the dead-letter queue instead of into the timeline.
     */
    @EventHandler
    public void on(PatientEvent event, DomainEventMessage<?> message) {
        PatientEventTable.Row row = new PatientEventTable.Row(event.patientId().value(), message.getSequenceNumber(),
                EventCodec.typeName(event), message.getTimestamp(),
                (String) message.getMetaData().get(PatientEvent.RECORDED_BY),
                message.serializePayload(serializer, byte[].class).getData());
        BatchScope.with("ledger_event", () -> new EventRowsBatch(events), batch -> batch.add(row));
    }

    @ResetHandler
    public void reset() {
        events.clear();
    }

    @QueryHandler
    public Optional<HistoryView> handle(FindHistory query) {
        String patientId = query.patientId().value();
        // Unknown patient: empty (404). Known, but asOf precedes everything recorded: an empty timeline. Asked in
        // this order: loaded first, a patient whose first rows commit in between looked known with no entries.
        if (!events.isKnown(patientId)) return Optional.empty();
        List<RecordedEvent> all = events.load(patientId);
        HistoryView view = calculator.history(patientId, PatientLedger.asOf(all, query.asOf()), query.asOf());
        boolean erased = all.stream().anyMatch(e -> e.event() instanceof PatientErased);
        return Optional.of(erased ? view.asErased() : view);
    }
}
