package org.treatmentledger.projections.durability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.FindDurability;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
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
 * Durability analytics read model: per patient, its events and its observed cycles ({@code durability_cycle}),
 * recomputed from the patient's stored events whenever one arrives, so a redelivery or a replay gives the same
 * rows. Queries group the cycle rows across patients.
 */
@Component
@ProcessingGroup(ReadModels.DURABILITY)
@ReadModelEvents({InjectionRecorded.class, TouchUpRecorded.class, LaserSessionRecorded.class,
        MovementReturnObserved.class, EntryAmended.class, EntryVoided.class})
public class DurabilityProjection {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();
    private static final TypeReference<List<Site>> SITES = new TypeReference<>() { };

    private final JdbcTemplate jdbc;
    private final PatientEventTable events;
    private final DurabilityCalculator calculator;

    public DurabilityProjection(JdbcTemplate jdbc, ClinicPolicy policy) {
        this.jdbc = jdbc;
        this.events = new PatientEventTable(jdbc, "ledger_event");
        this.calculator = new DurabilityCalculator(policy);
    }

    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        if (!ReadModelEvents.Of.accepts(getClass(), event.getClass())) return;
        RecordedEvent recorded = RecordedEvents.of(event, sequence, recordedAt, recordedBy);
        String patientId = event.patientId().value();
        BatchScope.with("durability", () -> new DerivedRowsBatch<>(this::storedEvents, this::replaceCycles),
                batch -> batch.record(recorded, ledger -> calculator.facts(patientId, ledger)));
    }

    private void replaceCycles(Map<String, List<CycleFact>> factsByPatient) {
        jdbc.update("DELETE FROM durability_cycle WHERE patient_id = ANY (?)",
                (Object) factsByPatient.keySet().toArray(String[]::new));
        List<Object[]> rows = new ArrayList<>();
        factsByPatient.forEach((patientId, facts) -> {
            for (CycleFact f : facts) {
                rows.add(new Object[] {patientId, f.cycle(), name(f.product()), name(f.intent()), f.doseBand().name(),
                        f.laserCoTreatment(), f.durationDays(), f.observedBy().name(), json(f.sites())});
            }
        });
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("INSERT INTO durability_cycle (patient_id, cycle_number, product, intent, dose_band, "
                    + "laser_co_treatment, duration_days, observed_by, sites) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)", rows);
        }
    }

    private static String json(List<Site> sites) {
        try {
            return JSON.writeValueAsString(sites);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise sites", e);
        }
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    /** The patient's stored events this read model needs (history stores them all in ledger_event). */
    private List<RecordedEvent> storedEvents(String patientId) {
        return events.load(patientId, ReadModelEvents.Of.typeNamesOf(getClass()));
    }

    @ResetHandler
    public void reset() {
        jdbc.execute("TRUNCATE durability_cycle");
    }

    @QueryHandler
    public DurabilityView handle(FindDurability query) {
        List<CycleFact> facts = jdbc.query("SELECT patient_id, cycle_number, product, intent, dose_band, "
                        + "laser_co_treatment, duration_days, observed_by, sites::text FROM durability_cycle",
                (rs, i) -> {
                    try {
                        String product = rs.getString(3);
                        String intent = rs.getString(4);
                        return new CycleFact(rs.getString(1), rs.getInt(2),
                                product == null ? null : Product.valueOf(product),
                                intent == null ? null : DoseIntent.valueOf(intent),
                                DoseBand.valueOf(rs.getString(5)), rs.getBoolean(6), rs.getInt(7),
                                CycleFact.Observation.valueOf(rs.getString(8)), JSON.readValue(rs.getString(9), SITES));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("unreadable durability_cycle row", e);
                    }
                });
        return DurabilityCalculator.group(facts, query.groupBy());
    }
}
