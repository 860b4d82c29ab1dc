package org.treatmentledger.projections.history;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.BatchScope;
import org.treatmentledger.projections.store.EventRowsBatch;
import org.treatmentledger.projections.store.PatientEventTable;
import org.treatmentledger.projections.store.RecordedEvents;

import java.time.Instant;
import java.util.Optional;

/**
 * Audit timeline read model: keeps every patient event with its recordedAt ({@code ledger_event}), so any asOf
 * can be answered. The schedule, unit history, intervals, durability and lots read models read the same rows.
 */
@Component
@ProcessingGroup(ReadModels.HISTORY)
public class HistoryProjection {

    private final PatientEventTable events;
    private final HistoryCalculator calculator = new HistoryCalculator();

    public HistoryProjection(JdbcTemplate jdbc) {
        this.events = new PatientEventTable(jdbc);
    }

    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        RecordedEvent recorded = RecordedEvents.of(event, sequence, recordedAt, recordedBy);
        BatchScope.with("ledger_event", () -> new EventRowsBatch(events), batch -> batch.add(recorded));
    }

    @ResetHandler
    public void reset() {
        events.clear();
    }

    @QueryHandler
    public Optional<HistoryView> handle(FindHistory query) {
        String patientId = query.patientId().value();
        PatientLedger ledger = PatientLedger.asOf(events.load(patientId), query.asOf());
        // Unknown patient: empty (404). Known, but asOf precedes everything recorded: an empty timeline.
        if (!events.isKnown(patientId)) return Optional.empty();
        return Optional.of(calculator.history(patientId, ledger, query.asOf()));
    }
}
