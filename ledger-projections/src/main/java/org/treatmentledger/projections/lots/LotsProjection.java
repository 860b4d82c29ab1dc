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
import org.treatmentledger.projections.ledger.RecordedEvent;
import org.treatmentledger.projections.store.BatchScope;
import org.treatmentledger.projections.store.DerivedRowsBatch;
import org.treatmentledger.projections.store.ReadModelEvents;
import org.treatmentledger.projections.store.PatientEventTable;
import org.treatmentledger.projections.store.RecordedEvents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lot recall read model: per patient, its injection events and its administrations per lot
 * ({@code lot_administration}), recomputed from the patient's stored events whenever one arrives.
 */
@Component
@ProcessingGroup(ReadModels.LOTS)
@ReadModelEvents({InjectionRecorded.class, TouchUpRecorded.class, EntryAmended.class, EntryVoided.class})
public class LotsProjection {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    private final JdbcTemplate jdbc;
    private final PatientEventTable events;
    private final LotAdministrationCalculator calculator;

    public LotsProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        this.jdbc = jdbc;
        this.events = new PatientEventTable(jdbc, "ledger_event");
        this.calculator = new LotAdministrationCalculator(policy.zone());
    }

    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        if (!ReadModelEvents.Of.accepts(getClass(), event.getClass())) return;
        RecordedEvent recorded = RecordedEvents.of(event, sequence, recordedAt, recordedBy);
        String patientId = event.patientId().value();
        BatchScope.with("lots", () -> new DerivedRowsBatch<>(this::storedEvents, this::replaceAdministrations),
                batch -> batch.record(recorded, ledger -> calculator.administrations(patientId, ledger)));
    }

    private void replaceAdministrations(Map<String, List<LotAdministrationCalculator.LotAdministration>> byPatient) {
        jdbc.update("DELETE FROM lot_administration WHERE patient_id = ANY (?)",
                (Object) byPatient.keySet().toArray(String[]::new));
        List<Object[]> rows = new ArrayList<>();
        byPatient.forEach((patientId, administrations) -> {
            for (LotAdministrationCalculator.LotAdministration row : administrations) {
                LotAdministrationsView.Administration a = row.administration();
                rows.add(new Object[] {patientId, a.entryId(), row.lotNumber(), java.sql.Timestamp.from(a.occurredAt()),
                        json(a)});
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO lot_administration (patient_id, entry_id, lot_number, occurred_at, payload) "
                    + "VALUES (?, ?, ?, ?, ?::jsonb)", rows);
        }
    }

    private static String json(LotAdministrationsView.Administration administration) {
        try {
            return JSON.writeValueAsString(administration);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a lot administration", e);
        }
    }

    /** The patient's stored events this read model needs (history stores them all in ledger_event). */
    private List<RecordedEvent> storedEvents(String patientId) {
        return events.load(patientId, ReadModelEvents.Of.typeNamesOf(getClass()));
    }

    @ResetHandler
    public void reset() {
        jdbc.execute("TRUNCATE lot_administration");
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
