package org.treatmentledger.projections.intervals;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
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
import org.treatmentledger.projections.store.PatientEventProjection;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.time.Instant;
import java.util.Optional;

/** Interval drift read model. */
@Component
@ProcessingGroup(ReadModels.INTERVALS)
@ReadModelEvents({PatientRegistered.class, InjectionRecorded.class, MovementReturnObserved.class,
        CycleFactorReported.class, EntryAmended.class, EntryVoided.class})
public class IntervalsProjection extends PatientEventProjection {

    private final IntervalCalculator calculator;

    public IntervalsProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        super(jdbc, "intervals_event");
        this.calculator = new IntervalCalculator(policy);
    }

    @Override
    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        super.on(event, sequence, recordedAt, recordedBy);
    }

    @QueryHandler
    public Optional<IntervalsView> handle(FindIntervals query) {
        return ledger(query.patientId()).map(calculator::intervals);
    }
}
