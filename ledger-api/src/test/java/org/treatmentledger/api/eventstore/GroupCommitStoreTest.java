package org.treatmentledger.api.eventstore;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.Sex;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group commit on the real store: a test connection locks the event table so that the first append waits
 * inside its transaction (PostgreSQL shows it waiting on the lock), further appends queue behind it, and the
 * lock is released once every one of them is parked in GroupCommit. The queued ones must then share one
 * transaction, and a lost race among them must fail alone.
 */
class GroupCommitStoreTest extends LedgerTestSupport {

    @Autowired CommandGateway commands;
    @Autowired EventStorageEngine storageEngine;
    @Autowired DataSource dataSource;
    @Autowired MeterRegistry meters;

    @Test
    void commands_that_arrive_during_a_commit_are_committed_together_in_the_next_one() throws Exception {
        assertThat(storageEngine).isInstanceOf(GroupCommitEventStorageEngine.class);
        double groupsBefore = groups().count();
        double commandsBefore = groups().totalAmount();
        List<PatientId> patients = new ArrayList<>();
        for (int i = 0; i < 9; i++) patients.add(PatientId.random());

        List<Attempt> attempts;
        try (Connection lock = lockEventTable()) {
            Attempt first = Attempt.start(() -> register(patients.get(0)));
            awaitBlockedInserts(1);
            attempts = new ArrayList<>(List.of(first));
            for (PatientId p : patients.subList(1, 9)) attempts.add(Attempt.start(() -> register(p)));
            attempts.subList(1, 9).forEach(Attempt::parked);
            lock.commit();
        }
        for (Attempt a : attempts) assertThat(a.outcome()).isNull();

        assertThat(streamsOf(patients)).isEqualTo(9);
        // Two transactions: the first command's, then the eight that queued behind it, together.
        assertThat(groups().count() - groupsBefore).isEqualTo(2);
        assertThat(groups().totalAmount() - commandsBefore).isEqualTo(9);
    }

    @Test
    void an_append_that_loses_a_race_inside_a_group_fails_alone_and_the_others_are_stored() throws Exception {
        PatientId contested = PatientId.random();
        List<PatientId> others = List.of(PatientId.random(), PatientId.random(), PatientId.random(), PatientId.random());
        double groupsBefore = groups().count();

        List<Attempt> queued = new ArrayList<>();
        Attempt first;
        try (Connection lock = lockEventTable()) {
            first = Attempt.start(() -> appendRegistration(PatientId.random()));
            awaitBlockedInserts(1);
            // Two first events for one stream, as two nodes would append them (one node's commands on a patient
            // are serialised by Axon's aggregate lock and never meet in a group).
            queued.add(Attempt.start(() -> appendRegistration(contested)));
            for (PatientId p : others) queued.add(Attempt.start(() -> appendRegistration(p)));
            queued.add(Attempt.start(() -> appendRegistration(contested)));
            queued.forEach(Attempt::parked);
            lock.commit();
        }
        assertThat(first.outcome()).isNull();

        List<Throwable> failures = queued.stream().map(Attempt::outcome).filter(t -> t != null).toList();
        assertThat(failures).singleElement().isInstanceOf(AggregateStreamCreationException.class);
        assertThat(streamsOf(others)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, contested.value())).isEqualTo(1);
        // The first, then the group of six that failed (not counted), then five appends alone.
        assertThat(groups().count() - groupsBefore).isEqualTo(6);
    }

    @Test
    void an_append_inside_a_callers_transaction_joins_that_transaction_instead_of_a_group() throws Exception {
        PatientId patient = PatientId.random();
        var transactions = new org.springframework.transaction.support.TransactionTemplate(
                new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource));
        Attempt inTransaction;
        Attempt first;
        try (Connection lock = lockEventTable()) {
            first = Attempt.start(() -> appendRegistration(PatientId.random()));
            awaitBlockedInserts(1);
            // A group is being committed; queued, this append would be committed with the next group.
            inTransaction = Attempt.start(() -> transactions.executeWithoutResult(status -> {
                appendRegistration(patient);
                status.setRollbackOnly();
            }));
            // It is not queued: it runs its own INSERT in the caller's transaction, and waits on the lock too.
            awaitBlockedInserts(2);
            lock.commit();
        }
        assertThat(first.outcome()).isNull();
        assertThat(inTransaction.outcome()).isNull();
        assertThat(streamsOf(List.of(patient))).as("rolled back with the caller's transaction").isZero();
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private DistributionSummary groups() {
        return meters.get("ledger.eventstore.commit.commands").summary();
    }

    private void register(PatientId id) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(
                        new RegisterPatient(id, "clinic-1", Sex.FEMALE, 1985, null, daysAgo(10)))
                .andMetaData(MetaData.with(PatientEvent.RECORDED_BY, "injector")));
    }

    private void appendRegistration(PatientId id) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
        storageEngine.appendEvents(new GenericDomainEventMessage<>("Patient", id.value(), 0,
                new PatientRegistered(id, UUID.randomUUID().toString(), at, "clinic-1", Sex.FEMALE, 1985, null),
                MetaData.with(PatientEvent.RECORDED_BY, "injector")));
    }

    private long streamsOf(List<PatientId> patients) {
        return jdbc.queryForObject("SELECT count(DISTINCT aggregateidentifier) FROM domainevententry"
                        + " WHERE aggregateidentifier = ANY (?)", Long.class,
                (Object) patients.stream().map(PatientId::value).toArray(String[]::new));
    }

    /** Blocks every INSERT into the event table until the returned connection commits (reads still pass). */
    private Connection lockEventTable() throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE domainevententry IN SHARE ROW EXCLUSIVE MODE");
        }
        return c;
    }

    /** Inserts into the event table waiting on the lock (a registration's insert also stores the patient's data key, in a WITH clause). */
    private void awaitBlockedInserts(int count) {
        Attempt.awaitTrue(() -> jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND query ILIKE '%INSERT INTO domainevententry%'", Long.class) >= count);
    }
}
