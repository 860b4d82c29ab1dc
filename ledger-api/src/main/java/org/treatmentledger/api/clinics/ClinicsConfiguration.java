package org.treatmentledger.api.clinics;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
public class ClinicsConfiguration {

    @Bean
    PatientClinics patientClinics(EventStore eventStore, ObjectMapper mapper) {
        return new PatientClinics(eventStore, mapper);
    }

    /** Replaces Spring Boot's JDBC transaction manager (same behaviour) to scope the clinics' reads. */
    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new ClinicScopedTransactionManager(dataSource);
    }

    @Bean
    RowLevelSecurity rowLevelSecurity(JdbcTemplate jdbc) {
        return new RowLevelSecurity(jdbc);
    }

    /** After Flyway (JdbcTemplate users start after the migrations), before the service answers. */
    @Bean
    InitializingBean rowLevelSecurityCheck(RowLevelSecurity rls,
                                           @Value("${ledger.clinics.require-restricted-role:false}") boolean restricted) {
        return () -> rls.checkAtStart(restricted);
    }
}
