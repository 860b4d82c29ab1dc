package org.treatmentledger.api.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.FindDurability;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.FindIntervals;
import org.treatmentledger.core.api.FindLotAdministrations;
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.durability.DurabilityView;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.intervals.IntervalsView;
import org.treatmentledger.projections.lots.LotAdministrationsView;
import org.treatmentledger.projections.schedule.ScheduleView;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every view of the given patients, the cross-patient views, and the raw rows of every read-model table, as
 * comparable strings: two snapshots are equal exactly when the read models are (live vs rebuilt).
 */
public final class ReadModelSnapshot {

    static final List<String> TABLES = List.of(
            "patient_id, sequence_number, event_type, recorded_at, recorded_by, convert_from(payload, 'UTF8') AS payload "
                    + "FROM ledger_event ORDER BY patient_id, sequence_number",
            "* FROM durability_cycle ORDER BY patient_id, cycle_number",
            "* FROM lot_administration ORDER BY patient_id, entry_id");

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    private ReadModelSnapshot() { }

    public static Map<String, String> take(QueryGateway queries, JdbcTemplate jdbc, Collection<PatientId> patients,
                                           Instant asOf, Collection<String> lots) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (PatientId p : patients) {
            out.put("schedule " + p, json(queries.query(new FindSchedule(p), ResponseTypes.optionalInstanceOf(ScheduleView.class)).get()));
            out.put("units " + p, json(queries.query(new FindUnitHistory(p), ResponseTypes.optionalInstanceOf(UnitHistoryView.class)).get()));
            out.put("intervals " + p, json(queries.query(new FindIntervals(p), ResponseTypes.optionalInstanceOf(IntervalsView.class)).get()));
            out.put("history " + p, json(queries.query(new FindHistory(p, null), ResponseTypes.optionalInstanceOf(HistoryView.class)).get()));
            out.put("history asOf " + p, json(queries.query(new FindHistory(p, asOf), ResponseTypes.optionalInstanceOf(HistoryView.class)).get()));
        }
        for (List<DurabilityDimension> groupBy : List.of(List.<DurabilityDimension>of(), List.of(DurabilityDimension.PRODUCT),
                List.of(DurabilityDimension.PRODUCT, DurabilityDimension.SITE),
                List.of(DurabilityDimension.DOSE_BAND, DurabilityDimension.INTENT, DurabilityDimension.LASER_CO_TREATMENT))) {
            out.put("durability " + groupBy, json(queries.query(new FindDurability(groupBy), ResponseTypes.instanceOf(DurabilityView.class)).get()));
        }
        for (String lot : lots) {
            out.put("lot " + lot, json(queries.query(new FindLotAdministrations(lot), ResponseTypes.instanceOf(LotAdministrationsView.class)).get()));
        }
        for (String table : TABLES) {
            out.put("table " + table, jdbc.queryForList("SELECT " + table).toString());
        }
        return out;
    }

    /** Asserts equality key by key, so a failure names the view or table that differs. */
    public static void assertSame(Map<String, String> actual, Map<String, String> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        actual.forEach((key, value) -> assertThat(value).as(key).isEqualTo(expected.get(key)));
    }

    private static String json(Object view) throws Exception {
        if (view instanceof Optional<?> o) {
            assertThat(o).as("a known patient's view").isPresent();
            view = o.get();
        }
        return JSON.writeValueAsString(view);
    }
}
