package org.treatmentledger.projections.intervals;

import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindIntervals;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.PatientEventProjection;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.util.Optional;

/** Interval drift read model. */
@Component
@ReadModelEvents({PatientRegistered.class, InjectionRecorded.class, MovementReturnObserved.class,
        CycleFactorReported.class, EntryAmended.class, EntryVoided.class})
public class IntervalsProjection extends PatientEventProjection {

    private final IntervalCalculator calculator;

    public IntervalsProjection(JdbcTemplate jdbc, EventCodec codec, ClinicPolicy policy) {
        super(jdbc, codec);
        this.calculator = new IntervalCalculator(policy);
    }

    @QueryHandler
    public Optional<IntervalsView> handle(FindIntervals query) {
        return ledger(query.patientId()).map(calculator::intervals);
    }
}
