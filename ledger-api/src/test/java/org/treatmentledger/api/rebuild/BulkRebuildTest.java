package org.treatmentledger.api.rebuild;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.ReadModels;
import org.treatmentledger.projections.rebuild.BulkRebuild;
import org.treatmentledger.projections.rebuild.ReadModelRebuilds;
import org.treatmentledger.projections.rebuild.RebuildProgress;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.projections.store.DerivedRowsProjection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk rebuild against the real stack: an event whose transaction is still open while the bulk copy runs is
 * a gap in the token it places, so the processor handles it once it commits; and a store the bulk copy cannot
 * read falls back to the event-by-event replay, which dead-letters the unreadable event and rebuilds the rest.
 */
@SpringBootTest
class BulkRebuildTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-bulk-");
    }

    @Autowired CommandGateway commands;
    @Autowired ReadModelRebuilds rebuilds;
    @Autowired BulkRebuild bulk;
    @Autowired org.treatmentledger.projections.store.EventCodec codec;
    @Autowired EventProcessingConfiguration processing;
    @Autowired JdbcTemplate jdbc;
    @Autowired DataSource dataSource;
    @Autowired org.springframework.transaction.PlatformTransactionManager platformTransactions;
    @Autowired TransactionManager axonTransactions;
    @Autowired TokenStore tokenStore;
    @Autowired List<DerivedRowsProjection<?>> derivedRows;

    @Test
    void an_event_still_uncommitted_during_the_bulk_copy_is_a_gap_and_is_handled_once_committed() throws Exception {
        register("bulk-a-" + UUID.randomUUID());
        PatientId late = PatientId.of("bulk-late-" + UUID.randomUUID());
        try (Connection open = dataSource.getConnection()) {
            open.setAutoCommit(false);
            long pending = insertRegistration(open, late);
            register("bulk-b-" + UUID.randomUUID()); // commits after it, at a higher global index
            awaitCaughtUp();

            StreamingEventProcessor processor = processor();
            processor.shutDown();
            TrackingToken token;
            try {
                processor.resetTokens();
                token = bulk.run(processor.getName());
            } finally {
                processor.start();
            }
            assertThat(token).isInstanceOf(GapAwareTrackingToken.class);
            assertThat(((GapAwareTrackingToken) token).getGaps()).contains(pending);
            assertThat(token.position()).hasValue(maxGlobalIndex());
            assertThat(rows(late)).isZero();

            open.commit();
        }
        Instant deadline = Instant.now().plus(WAIT);
        while (rows(late) == 0 && Instant.now().isBefore(deadline)) Thread.sleep(100);
        assertThat(rows(late)).as("the late event, handled by the processor after the bulk copy").isEqualTo(1);
    }

    @Test
    void tiny_pages_and_ranges_give_the_same_rows_as_live_processing() throws Exception {
        // Two events per page and seven global indexes per copy transaction: every patient spans pages (the
        // single-patient path) and the copy runs in many ranges; three derivation workers split the patients.
        // The rows must still equal live processing's.
        new LedgerHistoryGenerator(commands, 20261123L).generate(8, 4);
        awaitCaughtUp();
        List<String> tables = List.of(
                "SELECT patient_id, sequence_number, event_type, recorded_at, recorded_by, convert_from(payload, 'UTF8') "
                        + "FROM ledger_event ORDER BY patient_id, sequence_number",
                "SELECT * FROM durability_cycle ORDER BY patient_id, cycle_number",
                "SELECT * FROM lot_administration ORDER BY patient_id, entry_id");
        List<String> live = tables.stream().map(q -> jdbc.queryForList(q).toString()).toList();
        assertThat(live).allMatch(rows -> !rows.equals("[]"));

        BulkRebuild smallPages = new BulkRebuild(jdbc, platformTransactions, axonTransactions, tokenStore, derivedRows,
                "domainevententry", 10_000, 7, 2, 1, 3, codec);
        // The copy goes through a staging table that replaces ledger_event: it must come back exactly as the
        // migrations made it. A migration that adds an index to ledger_event fails here first (see stagingPossible).
        assertThat(smallPages.stagingPossible()).as("ledger_event has only the indexes the staging copy rebuilds").isTrue();
        String schema = ledgerEventSchema();
        StreamingEventProcessor processor = processor();
        processor.shutDown();
        try {
            processor.resetTokens();
            assertThat(jdbc.queryForObject("SELECT count(*) FROM durability_cycle", Long.class)).isZero();
            smallPages.run(processor.getName());
        } finally {
            processor.start();
        }
        awaitCaughtUp();
        assertThat(tables.stream().map(q -> jdbc.queryForList(q).toString()).toList()).isEqualTo(live);
        assertThat(ledgerEventSchema()).isEqualTo(schema);
        assertThat(jdbc.queryForObject("SELECT to_regclass('ledger_event_rebuild') IS NULL", Boolean.class)).isTrue();
    }

    /** Columns (type, default, nullability), constraints and indexes of ledger_event, as text. */
    private String ledgerEventSchema() {
        return jdbc.queryForList("""
                SELECT column_name, data_type, column_default, is_nullable, ordinal_position
                FROM information_schema.columns WHERE table_name = 'ledger_event' ORDER BY ordinal_position""").toString()
                + jdbc.queryForList("""
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = 'ledger_event'::regclass ORDER BY conname""").toString()
                + jdbc.queryForList("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_event' ORDER BY indexname")
                .toString();
    }

    @Test
    void a_store_the_bulk_copy_cannot_read_is_rebuilt_event_by_event_with_the_unreadable_event_dead_lettered() throws Exception {
        PatientId poisoned = register("bulk-poison-" + UUID.randomUUID());
        PatientId healthy = register("bulk-healthy-" + UUID.randomUUID());
        // An injection this version cannot read: the bulk derivation of lots and durability fails on it.
        jdbc.update("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, type, eventidentifier, metadata, "
                        + "payload, payloadrevision, payloadtype, timestamp) VALUES (?, 1, 'Patient', ?, ?, ?, NULL, ?, ?)",
                poisoned.value(), UUID.randomUUID().toString(), "{\"recordedBy\":\"clinician\"}".getBytes(StandardCharsets.UTF_8),
                ("{\"patientId\":\"" + poisoned.value() + "\",\"entryId\":\"x\",\"occurredAt\":\"not an instant\"}")
                        .getBytes(StandardCharsets.UTF_8),
                "org.treatmentledger.core.api.InjectionRecorded", Instant.now().toString());

        try {
            rebuilds.rebuild(ReadModels.LOTS);
            awaitCaughtUp();

            // The fallback replay may still be starting when the old token already looks caught up: wait for it.
            org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                assertThat(rows(healthy)).isEqualTo(1);
                assertThat(rows(poisoned)).as("its registration; the unreadable injection the failed bulk copy had copied is gone")
                        .isEqualTo(1);
                Long deadLettered = jdbc.queryForObject("SELECT count(*) FROM deadletterentry WHERE sequenceidentifier = ?",
                        Long.class, poisoned.value());
                assertThat(deadLettered).as("replayed event by event: the unreadable injection is dead-lettered").isPositive();
            });
        } finally {
            jdbc.update("DELETE FROM deadletterentry");
            jdbc.update("DELETE FROM domainevententry WHERE aggregateidentifier = ? AND sequencenumber = 1", poisoned.value());
        }
    }

    private PatientId register(String id) {
        PatientId patient = PatientId.of(id);
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new RegisterPatient(patient, "clinic-1", Sex.FEMALE,
                1980, null, Instant.parse("2024-01-01T09:00:00Z"))).andMetaData(MetaData.with(PatientEvent.RECORDED_BY, "clinician")));
        return patient;
    }

    /** Appends a registration in the given (open) transaction, as Axon's engine would; returns its global index. */
    private static long insertRegistration(Connection c, PatientId patient) throws Exception {
        PatientRegistered event = new PatientRegistered(patient, patient.value() + ":registration",
                Instant.parse("2024-01-01T09:00:00Z"), "clinic-1", Sex.FEMALE, 1980, null);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO domainevententry (aggregateidentifier, sequencenumber, "
                + "type, eventidentifier, metadata, payload, payloadrevision, payloadtype, timestamp) "
                + "VALUES (?, 0, 'Patient', ?, ?, ?, NULL, ?, ?) RETURNING globalindex")) {
            ps.setString(1, patient.value());
            ps.setString(2, UUID.randomUUID().toString());
            ps.setBytes(3, "{\"recordedBy\":\"clinician\"}".getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, LedgerJson.objectMapper().writeValueAsBytes(event));
            ps.setString(5, PatientRegistered.class.getName());
            ps.setString(6, Instant.now().toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private int rows(PatientId patient) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM ledger_event WHERE patient_id = ?", Integer.class, patient.value());
        return n == null ? 0 : n;
    }

    private long maxGlobalIndex() {
        Long head = jdbc.queryForObject("SELECT max(globalindex) FROM domainevententry", Long.class);
        return head == null ? 0 : head;
    }

    private StreamingEventProcessor processor() {
        return processing.eventProcessor(ReadModels.PROCESSOR, StreamingEventProcessor.class).orElseThrow();
    }

    private void awaitCaughtUp() throws InterruptedException {
        long head = maxGlobalIndex();
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            RebuildProgress p = rebuilds.progress(ReadModels.HISTORY);
            if (!p.replaying() && p.position() != null && p.position() >= head && p.segments() > 0) return;
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("read models did not catch up with global index " + head + ": " + p
                        + " " + Map.of("status", processor().processingStatus()));
            }
            Thread.sleep(100);
        }
    }
}
