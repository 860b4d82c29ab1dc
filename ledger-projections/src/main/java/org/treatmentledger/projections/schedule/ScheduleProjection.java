package org.treatmentledger.projections.schedule;

import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.PatientEventProjection;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/** Maintenance schedule read model: stores the events it needs; statuses are computed per query from the Clock. */
@Component
@ReadModelEvents({PatientRegistered.class, InjectionRecorded.class, TouchUpRecorded.class,
        LaserSessionRecorded.class, PhotoCheckpointRecorded.class, MovementReturnObserved.class,
        EntryAmended.class, EntryVoided.class})
public class ScheduleProjection extends PatientEventProjection {

    private final ScheduleCalculator calculator;
    private final ClinicPolicy policy;
    private final Clock clock;

    public ScheduleProjection(JdbcTemplate jdbc, EventCodec codec, ClinicPolicy policy, Clock clock) {
        super(jdbc, codec);
        this.calculator = new ScheduleCalculator(policy);
        this.policy = policy;
        this.clock = clock;
    }

    @QueryHandler
    public Optional<ScheduleView> handle(FindSchedule query) {
        LocalDate today = LocalDate.now(clock.withZone(policy.zone()));
        return ledger(query.patientId()).map(ledger -> calculator.schedule(ledger, today));
    }
}
