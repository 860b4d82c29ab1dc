package org.treatmentledger.projections.units;

import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.PatientEventProjection;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/** Cumulative unit history read model; the rolling window ends today (clinic zone) at query time. */
@Component
@ReadModelEvents({PatientRegistered.class, InjectionRecorded.class, TouchUpRecorded.class, EntryAmended.class,
        EntryVoided.class})
public class UnitHistoryProjection extends PatientEventProjection {

    private final UnitHistoryCalculator calculator;
    private final ClinicPolicy policy;
    private final Clock clock;

    public UnitHistoryProjection(JdbcTemplate jdbc, EventCodec codec, ClinicPolicy policy, Clock clock) {
        super(jdbc, codec);
        this.calculator = new UnitHistoryCalculator(policy);
        this.policy = policy;
        this.clock = clock;
    }

    @QueryHandler
    public Optional<UnitHistoryView> handle(FindUnitHistory query) {
        LocalDate today = LocalDate.now(clock.withZone(policy.zone()));
        return ledger(query.patientId()).map(ledger -> calculator.unitHistory(ledger, today));
    }
}
