package org.treatmentledger.projections.schedule;

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
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
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

/** Maintenance schedule read model: stores the events it needs; statuses are computed per query from the Clock. */
@Component
@ProcessingGroup(ReadModels.SCHEDULE)
public class ScheduleProjection {

    private final PatientEventTable events;
    private final ScheduleCalculator calculator;
    private final ClinicPolicy policy;
    private final Clock clock;

    public ScheduleProjection(JdbcTemplate jdbc, ClinicPolicy policy, Clock clock) {
        this.events = new PatientEventTable(jdbc, "schedule_event");
        this.calculator = new ScheduleCalculator(policy);
        this.policy = policy;
        this.clock = clock;
    }

    static boolean relevant(PatientEvent e) {
        return e instanceof PatientRegistered || e instanceof InjectionRecorded || e instanceof TouchUpRecorded
                || e instanceof LaserSessionRecorded || e instanceof PhotoCheckpointRecorded
                || e instanceof MovementReturnObserved || e instanceof EntryAmended || e instanceof EntryVoided;
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
    public Optional<ScheduleView> handle(FindSchedule query) {
        String patientId = query.patientId().value();
        PatientLedger ledger = PatientLedger.of(events.load(patientId));
        if (!ledger.isKnown()) return Optional.empty();
        return Optional.of(calculator.schedule(ledger, LocalDate.now(clock.withZone(policy.zone()))));
    }
}
