package org.treatmentledger.api.eventstore;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.Sex;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.treatmentledger.api.LedgerTestSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ledger.axon.group-commit=false}: Axon's JDBC engine as is, each command in its own transaction. */
@SpringBootTest(properties = "ledger.axon.group-commit=false")
class GroupCommitOffTest {

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-group-commit-off-");
    }

    @Autowired EventStorageEngine storageEngine;
    @Autowired CommandGateway commands;
    @Autowired JdbcTemplate jdbc;

    @Test
    void commands_are_stored_by_axons_own_engine_and_a_second_registration_of_one_id_is_refused() {
        assertThat(storageEngine).isExactlyInstanceOf(JdbcEventStorageEngine.class);
        PatientId patient = PatientId.random();

        register(patient);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, patient.value())).isEqualTo(1);
        assertThatThrownBy(() -> register(patient))
                .isInstanceOf(AggregateStreamCreationException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domainevententry WHERE aggregateidentifier = ?",
                Long.class, patient.value())).isEqualTo(1);
    }

    private void register(PatientId id) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(new RegisterPatient(id, "clinic-1", Sex.FEMALE,
                        1985, null, Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(10, ChronoUnit.DAYS)))
                .andMetaData(MetaData.with(PatientEvent.RECORDED_BY, "injector")));
    }
}
