package org.treatmentledger.projections.units;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.store.PatientEventTable;
import org.treatmentledger.projections.store.RecordedEvents;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** Cumulative unit history read model; the rolling window ends today (clinic zone) at query time. */
@Component
@ProcessingGroup(ReadModels.UNITS)
public class UnitHistoryProjection {

    private final PatientEventTable events;
    private final UnitHistoryCalculator calculator;
    private final ClinicPolicy policy;
    private final Clock clock;

    public UnitHistoryProjection(JdbcTemplate jdbc, ClinicPolicy policy, Clock clock) {
        this.events = new PatientEventTable(jdbc, "units_event");
        this.calculator = new UnitHistoryCalculator(policy);
        this.policy = policy;
        this.clock = clock;
    }

    static boolean relevant(PatientEvent e) {
        return e instanceof PatientRegistered || e instanceof InjectionRecorded || e instanceof TouchUpRecorded
                || e instanceof EntryAmended || e instanceof EntryVoided;
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
    public Optional<UnitHistoryView> handle(FindUnitHistory query) {
        PatientLedger ledger = PatientLedger.of(events.load(query.patientId().value()));
        if (!ledger.isKnown()) return Optional.empty();
        return Optional.of(calculator.unitHistory(ledger, LocalDate.now(clock.withZone(policy.zone()))));
    }
}
