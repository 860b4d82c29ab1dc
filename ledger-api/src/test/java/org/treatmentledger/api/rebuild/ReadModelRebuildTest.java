package org.treatmentledger.api.rebuild;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.FindDurability;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.FindIntervals;
import org.treatmentledger.core.api.FindLotAdministrations;
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.durability.DurabilityProjection;
import org.treatmentledger.projections.durability.DurabilityView;
import org.treatmentledger.projections.history.HistoryProjection;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.intervals.IntervalsView;
import org.treatmentledger.projections.lots.LotAdministrationsView;
import org.treatmentledger.projections.lots.LotsProjection;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.rebuild.RebuildProgress;
import org.treatmentledger.projections.rebuild.UnknownReadModelException;
import org.treatmentledger.projections.schedule.ScheduleView;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.sql.Timestamp;
import java.util.UUID;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.MetaData;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.core.api.MovementReturnDetails;
import org.treatmentledger.core.api.ObserveMovementReturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against the real stack (embedded PostgreSQL, JDBC event store, pooled streaming processors): a generated
 * multi-patient history gives the same read models live, after a full rebuild from the event store, and after
 * every event is delivered a second time.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadModelRebuildTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-it-");
    }

    @Autowired CommandGateway commands;
    @Autowired QueryGateway queries;
    @Autowired ReadModelRebuilds rebuilds;
    @Autowired JdbcTemplate jdbc;
    @Autowired EventStore eventStore;
    @Autowired TransactionTemplate transactions;
    @Autowired HistoryProjection history;
    @Autowired DurabilityProjection durability;
    @Autowired LotsProjection lots;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    private LedgerHistoryGenerator generated;
    private Map<String, String> live;

    @BeforeAll
    void recordHistory() throws Exception {
        generated = new LedgerHistoryGenerator(commands, 20261123L);
        generated.generate(8, 4);
        awaitCaughtUp();
        live = snapshot();
    }

    @Test
    @Order(1)
    void live_read_models_hold_the_generated_history() throws Exception {
        PatientId first = generated.patients.get(0);
        HistoryView history = queries.query(new FindHistory(first, null),
                ResponseTypes.optionalInstanceOf(HistoryView.class)).get().orElseThrow();
        assertThat(history.entries()).extracting(HistoryView.Entry::type)
                .contains(EntryType.REGISTRATION, EntryType.INJECTION, EntryType.CORRECTION);
        assertThat(history.entries()).anyMatch(e -> Boolean.TRUE.equals(e.voided()));
        assertThat(history.entries()).allMatch(e -> "clinician".equals(e.recordedBy()));

        HistoryView beforeCorrections = queries.query(new FindHistory(first, generated.midpoint),
                ResponseTypes.optionalInstanceOf(HistoryView.class)).get().orElseThrow();
        assertThat(beforeCorrections.entries()).noneMatch(e -> Boolean.TRUE.equals(e.voided()))
                .noneMatch(e -> e.type() == EntryType.CORRECTION);

        IntervalsView intervals = queries.query(new FindIntervals(first),
                ResponseTypes.optionalInstanceOf(IntervalsView.class)).get().orElseThrow();
        assertThat(intervals.intervals()).hasSize(3);

        ScheduleView schedule = queries.query(new FindSchedule(first),
                ResponseTypes.optionalInstanceOf(ScheduleView.class)).get().orElseThrow();
        assertThat(schedule.items()).isNotEmpty();

        UnitHistoryView units = queries.query(new FindUnitHistory(generated.patients.get(1)),
                ResponseTypes.optionalInstanceOf(UnitHistoryView.class)).get().orElseThrow();
        assertThat(units.lifetime()).isNotEmpty();

        DurabilityView durability = queries.query(new FindDurability(List.of(DurabilityDimension.PRODUCT)),
                ResponseTypes.instanceOf(DurabilityView.class)).get();
        assertThat(durability.groups()).isNotEmpty();
        assertThat(durability.groups().stream().mapToInt(DurabilityView.Group::cycles).sum()).isGreaterThanOrEqualTo(8 * 3);

        LotAdministrationsView lot = queries.query(new FindLotAdministrations("LOT-0"),
                ResponseTypes.instanceOf(LotAdministrationsView.class)).get();
        assertThat(lot.administrations()).isNotEmpty();

        assertThat(queries.query(new FindSchedule(PatientId.of("nobody")),
                ResponseTypes.optionalInstanceOf(ScheduleView.class)).get()).isEmpty();
        assertThat(queries.query(new FindHistory(PatientId.of("nobody"), null),
                ResponseTypes.optionalInstanceOf(HistoryView.class)).get()).isEmpty();
    }

    @Test
    @Order(2)
    void a_full_rebuild_from_the_event_store_gives_exactly_the_live_read_models() throws Exception {
        // Rows the event store does not justify: a rebuild must start from empty tables (the reset handlers).
        for (String table : List.of("ledger_event")) {
            jdbc.update("INSERT INTO " + table + " (patient_id, sequence_number, event_type, recorded_at, recorded_by, "
                    + "payload) VALUES ('stale', 0, 'PatientRegistered', now(), 'nobody', convert_to('{}', 'UTF8'))");
        }
        jdbc.update("INSERT INTO durability_cycle VALUES ('stale', 1, NULL, NULL, 'LOW', false, 1, 'NEXT_CYCLE', '[]'::jsonb)");
        jdbc.update("INSERT INTO lot_administration VALUES ('stale', 'stale-1', 'LOT-0', now(), '{}'::jsonb)");
        assertThat(snapshot()).isNotEqualTo(live);

        // One rebuild rebuilds all six: they share one processor (ReadModels.PROCESSOR), and every read model's
        // reset handler runs (the stale rows above, in all eight tables, must be gone afterwards).
        assertThat(ReadModels.READ_MODELS).allMatch(g -> rebuilds.processorName(g).equals(ReadModels.PROCESSOR));
        RebuildProgress started = rebuilds.rebuild(ReadModels.SCHEDULE);
        assertThat(started.processingGroup()).isEqualTo(ReadModels.SCHEDULE);
        assertThat(started.running()).isTrue();
        awaitCaughtUp();
        for (String group : ReadModels.READ_MODELS) {
            RebuildProgress done = rebuilds.progress(group);
            assertThat(done.replaying()).isFalse();
            assertThat(done.percent()).isEqualTo(100.0);
        }
        Map<String, String> rebuilt = snapshot();
        assertThat(rebuilt.keySet()).isEqualTo(live.keySet());
        rebuilt.forEach((key, value) -> assertThat(value).as(key).isEqualTo(live.get(key)));
    }

    @Test
    @Order(3)
    void delivering_every_event_twice_changes_nothing() throws Exception {
        for (PatientId patient : generated.patients) {
            List<? extends DomainEventMessage<?>> events = eventStore.readEvents(patient.value()).asStream().toList();
            transactions.executeWithoutResult(status -> {
                for (DomainEventMessage<?> m : events) {
                    PatientEvent e = (PatientEvent) m.getPayload();
                    String by = (String) m.getMetaData().get(PatientEvent.RECORDED_BY);
                    try {
                        // The event handlers (schedule, unit history and intervals are views of history's rows).
                        history.on(e, m);
                        durability.on(e, m.getSequenceNumber(), m.getTimestamp(), by);
                        lots.on(e, m.getSequenceNumber(), m.getTimestamp(), by);
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                }
            });
        }
        Map<String, String> after = snapshot();
        after.forEach((key, value) -> assertThat(value).as(key).isEqualTo(live.get(key)));
    }

    @Test
    @Order(4)
    void an_unknown_read_model_cannot_be_rebuilt() {
        assertThatThrownBy(() -> rebuilds.rebuild("patients")).isInstanceOf(UnknownReadModelException.class);
    }

    @Test
    @Order(5)
    void a_failing_event_is_dead_lettered_and_the_read_model_goes_on_with_other_patients() throws Exception {
        PatientId poisoned = generated.patients.get(2);
        PatientId healthy = generated.patients.get(3);
        // A row this version cannot read (an injection whose time is not a time): the durability handler, which
        // reads the patient's injections, fails on the patient's next event; history, which only appends, does not.
        jdbc.update("INSERT INTO ledger_event (patient_id, sequence_number, event_type, recorded_at, recorded_by, payload) "
                + "VALUES (?, 100000, 'InjectionRecorded', now(), 'nobody', convert_to('{\"occurredAt\": \"not an instant\"}', 'UTF8'))",
                poisoned.value());
        Instant when = Instant.now().minus(Duration.ofDays(1));
        for (PatientId p : List.of(poisoned, healthy)) {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                    new ObserveMovementReturn(p, UUID.randomUUID().toString(),
                            new MovementReturnDetails(when, List.of())))
                    .andMetaData(MetaData.with(PatientEvent.RECORDED_BY, "clinician")));
        }
        awaitCaughtUp();
        Integer healthyRows = jdbc.queryForObject("SELECT count(*) FROM ledger_event WHERE patient_id = ? "
                + "AND event_type = 'MovementReturnObserved' AND (convert_from(payload, 'UTF8')::jsonb ->> 'occurredAt')::timestamptz = ?",
                Integer.class, healthy.value(), Timestamp.from(when));
        assertThat(healthyRows).isEqualTo(1);
        Long deadLettered = jdbc.queryForObject("SELECT count(DISTINCT sequenceidentifier) FROM deadletterentry "
                + "WHERE processinggroup = 'durability'", Long.class);
        assertThat(deadLettered).isEqualTo(1);
        assertThat(meters.get("ledger.deadletters").tag("processing_group", "durability").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("ledger.deadletters").tag("processing_group", "history").gauge().value()).isZero();
    }

    private void awaitCaughtUp() throws InterruptedException {
        Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            boolean all = true;
            for (String group : ReadModels.READ_MODELS) {
                RebuildProgress p = rebuilds.progress(group);
                if (p.replaying() || p.position() == null || p.position() < head || p.segments() == 0) all = false;
            }
            if (all) return;
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("read models did not catch up with global index " + head + ": "
                        + ReadModels.READ_MODELS.stream().map(rebuilds::progress).toList());
            }
            Thread.sleep(200);
        }
    }

    /** Every view of every patient, the cross-patient views, and the raw rows of every read-model table. */
    private Map<String, String> snapshot() throws Exception {
        return ReadModelSnapshot.take(queries, jdbc, generated.patients, generated.midpoint, generated.lotsUsed);
    }
}
