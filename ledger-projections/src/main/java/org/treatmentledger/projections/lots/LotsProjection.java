package org.treatmentledger.projections.lots;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.treatmentledger.core.api.FindLotAdministrations;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.store.PatientEventTable;
import org.treatmentledger.projections.store.RecordedEvents;

import java.time.Instant;
import java.util.List;

/**
 * Lot recall read model: per patient, its injection events and its administrations per lot
 * ({@code lot_administration}), recomputed from the patient's stored events whenever one arrives.
 */
@Component
@ProcessingGroup(ReadModels.LOTS)
public class LotsProjection {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    private final JdbcTemplate jdbc;
    private final PatientEventTable events;
    private final LotAdministrationCalculator calculator;

    public LotsProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        this.jdbc = jdbc;
        this.events = new PatientEventTable(jdbc, "lots_event");
        this.calculator = new LotAdministrationCalculator(policy.zone());
    }

    static boolean relevant(PatientEvent e) {
        return e instanceof InjectionRecorded || e instanceof TouchUpRecorded || e instanceof EntryAmended
                || e instanceof EntryVoided;
    }

    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) throws JsonProcessingException {
        if (!relevant(event)) return;
        String patientId = event.patientId().value();
        if (!events.append(RecordedEvents.of(event, sequence, recordedAt, recordedBy))) return;
        List<LotAdministrationCalculator.LotAdministration> rows =
                calculator.administrations(patientId, PatientLedger.of(events.load(patientId)));
        jdbc.update("DELETE FROM lot_administration WHERE patient_id = ?", patientId);
        for (LotAdministrationCalculator.LotAdministration row : rows) {
            LotAdministrationsView.Administration a = row.administration();
            jdbc.update("INSERT INTO lot_administration (patient_id, entry_id, lot_number, occurred_at, payload) "
                            + "VALUES (?, ?, ?, ?, ?::jsonb)",
                    patientId, a.entryId(), row.lotNumber(), java.sql.Timestamp.from(a.occurredAt()), JSON.writeValueAsString(a));
        }
    }

    @ResetHandler
    public void reset() {
        jdbc.update("DELETE FROM lot_administration");
        events.clear();
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
