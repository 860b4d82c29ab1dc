package org.treatmentledger.projections.intervals;

import org.axonframework.config.ProcessingGroup;
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
import org.treatmentledger.projections.store.PatientEventProjection;

import java.util.Optional;

/** Interval drift read model. */
@Component
@ProcessingGroup(ReadModels.INTERVALS)
public class IntervalsProjection extends PatientEventProjection {

    private final IntervalCalculator calculator;

    public IntervalsProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        super(jdbc, "intervals_event");
        this.calculator = new IntervalCalculator(policy);
    }

    @Override
    protected boolean relevant(PatientEvent e) {
        return e instanceof PatientRegistered || e instanceof InjectionRecorded || e instanceof MovementReturnObserved
                || e instanceof CycleFactorReported || e instanceof EntryAmended || e instanceof EntryVoided;
    }

    @QueryHandler
    public Optional<IntervalsView> handle(FindIntervals query) {
        return ledger(query.patientId()).map(calculator::intervals);
    }
}
