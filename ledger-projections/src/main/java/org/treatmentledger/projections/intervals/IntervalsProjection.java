package org.treatmentledger.projections.intervals;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindIntervals;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.store.PatientEventTable;
import org.treatmentledger.projections.store.RecordedEvents;

import java.time.Instant;
import java.util.Optional;

/** Interval drift read model. */
@Component
@ProcessingGroup(ReadModels.INTERVALS)
public class IntervalsProjection {

    private final PatientEventTable events;
    private final IntervalCalculator calculator;

    public IntervalsProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        this.events = new PatientEventTable(jdbc, "intervals_event");
        this.calculator = new IntervalCalculator(policy);
    }

    static boolean relevant(PatientEvent e) {
        return e instanceof PatientRegistered || e instanceof InjectionRecorded || e instanceof MovementReturnObserved
                || e instanceof CycleFactorReported || e instanceof EntryAmended || e instanceof EntryVoided;
    }

    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        if (relevant(event)) events.append(RecordedEvents.of(event, sequence, recordedAt, recordedBy));
    }

    @ResetHandler
    public void reset() {
        events.clear();
    }

    @QueryHandler
    public Optional<IntervalsView> handle(FindIntervals query) {
        PatientLedger ledger = PatientLedger.of(events.load(query.patientId().value()));
        if (!ledger.isKnown()) return Optional.empty();
        return Optional.of(calculator.intervals(ledger));
    }
}
