package org.treatmentledger.projections.durability;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
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
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.store.DerivedRowsProjection;
import org.treatmentledger.projections.store.EventCodec;
import org.treatmentledger.projections.store.ReadModelEvents;

import java.time.Instant;
import java.util.List;

/**
 * Durability analytics read model: per patient, its observed cycles ({@code durability_cycle}), derived again
 * from the patient's events whenever one arrives, so a redelivery or a replay gives the same rows. Queries group
 * the cycle rows across patients.
 */
@Component
@ProcessingGroup(ReadModels.DURABILITY)
@ReadModelEvents({InjectionRecorded.class, TouchUpRecorded.class, LaserSessionRecorded.class,
        MovementReturnObserved.class, EntryAmended.class, EntryVoided.class})
public class DurabilityProjection extends DerivedRowsProjection<CycleFact> {

    private static final TypeReference<List<Site>> SITES = new TypeReference<>() { };

    private final DurabilityCalculator calculator;

    public DurabilityProjection(JdbcTemplate jdbc, EventCodec codec, ClinicPolicy policy) {
        super(jdbc, codec, "durability_cycle");
        this.calculator = new DurabilityCalculator(policy);
    }

    @Override
    @EventHandler
    public void on(PatientEvent event, @SequenceNumber Long sequence, @Timestamp Instant recordedAt,
                   @MetaDataValue(PatientEvent.RECORDED_BY) String recordedBy) {
        super.on(event, sequence, recordedAt, recordedBy);
    }

    @Override
    protected List<CycleFact> derive(String patientId, PatientLedger ledger) {
        return calculator.facts(patientId, ledger);
    }

    @Override
    protected List<String> columns() {
        return List.of("patient_id", "cycle_number", "product", "intent", "dose_band", "laser_co_treatment",
                "duration_days", "observed_by", "sites");
    }

    @Override
    protected Object[] values(String patientId, CycleFact f) {
        return new Object[] {patientId, f.cycle(), name(f.product()), name(f.intent()), f.doseBand().name(),
                f.laserCoTreatment(), f.durationDays(), f.observedBy().name(), json(f.sites())};
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
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
