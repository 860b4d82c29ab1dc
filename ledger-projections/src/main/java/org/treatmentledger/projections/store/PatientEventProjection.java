package org.treatmentledger.projections.store;

import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.time.Instant;
import java.util.Optional;

/**
 * A per-patient read model that keeps the events it needs in its own table (idempotent: keyed by patient and
 * sequence number) and computes its view when asked. Subclasses say which events they need and compute the
 * view; each stays its own processing group with its own table, so each can be rebuilt alone.
 */
public abstract class PatientEventProjection {

    private final PatientEventTable events;
    private final String table;

    protected PatientEventProjection(JdbcTemplate jdbc, String table) {
        this.events = new PatientEventTable(jdbc, table);
        this.table = table;
    }

    /**
     * Stores the event if the read model's {@link ReadModelEvents} names its type. Subclasses annotate their
     * override with {@code @EventHandler}, so that Axon sees the handler on the read model's own class and
     * {@link ReadModelEventsFilter} can skip the other events before they are deserialised.
     */
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        if (!ReadModelEvents.Of.accepts(getClass(), event.getClass())) return;
        RecordedEvent recorded = RecordedEvents.of(event, sequence, recordedAt, recordedBy);
        BatchScope.with(table, () -> new EventRowsBatch(events), batch -> batch.add(recorded));
    }

    @ResetHandler
    public void reset() {
        events.clear();
    }

    /** The patient's corrected ledger as this read model stored it; empty when the patient is unknown here. */
    protected Optional<PatientLedger> ledger(PatientId patientId) {
        PatientLedger ledger = PatientLedger.of(events.load(patientId.value()));
        return ledger.isKnown() ? Optional.of(ledger) : Optional.empty();
    }
}
