package org.treatmentledger.projections.lots;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindLotAdministrations;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.time.Instant;
import java.util.List;

/**
 * Lot recall read model: per patient, its administrations per lot ({@code lot_administration}), derived again
 * from the patient's injection events whenever one arrives.
 */
@Component
@ProcessingGroup(ReadModels.LOTS)
@ReadModelEvents({InjectionRecorded.class, TouchUpRecorded.class, EntryAmended.class, EntryVoided.class})
public class LotsProjection extends DerivedRowsProjection<LotAdministrationCalculator.LotAdministration> {

    private final LotAdministrationCalculator calculator;

    public LotsProjection(JdbcTemplate jdbc, EventCodec codec, ClinicPolicy policy) {
        super(jdbc, codec, "lot_administration");
        this.calculator = new LotAdministrationCalculator(policy.zone());
    }

    @Override
    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        super.on(event, sequence, recordedAt, recordedBy);
    }

    @Override
    protected List<LotAdministrationCalculator.LotAdministration> derive(String patientId, PatientLedger ledger) {
        return calculator.administrations(patientId, ledger);
    }

    @Override
    protected List<String> columns() {
        return List.of("patient_id", "entry_id", "lot_number", "occurred_at", "payload");
    }

    @Override
    protected Object[] values(String patientId, LotAdministrationCalculator.LotAdministration row) {
        LotAdministrationsView.Administration a = row.administration();
        return new Object[] {patientId, a.entryId(), row.lotNumber(), a.occurredAt(), json(a)};
    }

    @QueryHandler
    public LotAdministrationsView handle(FindLotAdministrations query) {
        String lot = LotAdministrationCalculator.normalise(query.lotNumber());
        List<LotAdministrationsView.Administration> administrations = jdbc.query(
                "SELECT payload::text FROM lot_administration WHERE lot_number = ? "
                        + "ORDER BY occurred_at, patient_id, entry_id",
                (rs, i) -> {
                    try {
                        return JSON.readValue(rs.getString(1), LotAdministrationsView.Administration.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("unreadable lot_administration row", e);
                    }
                }, lot);
        return new LotAdministrationsView(lot, administrations);
    }
}
