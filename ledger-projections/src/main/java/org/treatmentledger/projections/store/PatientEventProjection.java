package org.treatmentledger.projections.store;

import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.util.Optional;

/**
 * A per-patient read model computed when queried from the patient's events in history's table
 * ({@code ledger_event}), restricted to the events its {@link ReadModelEvents} names. It has no handlers of its
 * own: history stores every event once, and views whose statuses and rolling windows depend on today's date
 * are computed per query anyway.
 */
public abstract class PatientEventProjection {

    private final PatientEventTable events;

    protected PatientEventProjection(JdbcTemplate jdbc, EventCodec codec) {
        this.events = new PatientEventTable(jdbc, codec);
    }

    /** The patient's corrected ledger as this read model sees it; empty when the patient is unknown. */
    protected Optional<PatientLedger> ledger(PatientId patientId) {
        PatientLedger ledger = PatientLedger.of(
                events.load(patientId.value(), ReadModelEvents.Of.typeNamesOf(getClass())));
        return ledger.isKnown() ? Optional.of(ledger) : Optional.empty();
    }
}
