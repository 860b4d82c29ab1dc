package org.treatmentledger.api.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.transaction.support.TransactionTemplate;
import org.treatmentledger.api.clinics.PatientClinics;
import org.treatmentledger.api.integrity.IntegrityKeys;
import org.treatmentledger.api.integrity.IntegrityProperties;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean(destroyMethod = "close")
    AccessLogWriter accessLogWriter(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                    @Value("${ledger.audit.max-batch:500}") int maxBatch) {
        return new AccessLogWriter(jdbc, transactions, maxBatch);
    }

    /** {@code ledger.audit.max-wait}: how long a response waits for its access record before answering 503. */
    @Bean
    AccessAudit accessAudit(AccessLogWriter writer, PatientClinics patientClinics, ObjectMapper mapper, Clock clock,
                            @Value("${ledger.audit.max-wait:5s}") Duration wait) {
        return new AccessAudit(writer, patientClinics, mapper, clock, wait);
    }

    @Bean
    AccessLog accessLog(JdbcTemplate jdbc) {
        return new AccessLog(jdbc);
    }

    @Bean
    AccessLogTree accessLogTree(JdbcTemplate jdbc) {
        return new AccessLogTree(jdbc);
    }

    /**
     * The access log's tree is sealed like the event log (same key, same interval and batch size) whenever the
     * tamper-evident log is on: its checkpoints are signed with the ledger's key under the origin
     * {@code <ledger.integrity.origin>/access}, so a reviewer trusts one public key for both logs.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "ledger.integrity.enabled", havingValue = "true", matchIfMissing = true)
    static class Sealing {

        static String origin(IntegrityProperties properties) {
            return properties.origin() + "/access";
        }

        @Bean
        AccessSealer accessSealer(JdbcTemplate jdbc, AccessLogTree tree, PlatformTransactionManager transactions,
                                  IntegrityKeys keys, IntegrityProperties properties, ObjectProvider<MeterRegistry> meters) {
            return new AccessSealer(jdbc, tree, new TransactionTemplate(transactions),
                    keys.signer().withName(origin(properties)), properties.sealInterval(), properties.sealBatchSize(),
                    meters.getIfAvailable(SimpleMeterRegistry::new));
        }
    }

    /** Every request on one patient takes the Purpose-Of-Use header. */
    @Bean
    OpenApiCustomizer purposeOfUseHeader() {
        return openApi -> openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            if (!AccessAudit.onePatient(method.name(), path)) return;
            op.addParametersItem(new HeaderParameter().name(Purpose.HEADER).required(false)
                    .schema(new StringSchema()._enum(Arrays.stream(Purpose.values()).map(Enum::name).toList())
                            ._default(Purpose.TREATMENT.name()))
                    .description("Why the record is accessed (HL7 PurposeOfUse: TREATMENT = TREAT, EMERGENCY_TREATMENT = "
                            + "ETREAT, OPERATIONS = HOPERAT, PAYMENT = HPAYMT, PATIENT_REQUEST = PATRQT, LEGAL = HLEGAL, "
                            + "RESEARCH = HRESCH, PUBLIC_HEALTH = PUBHLTH); recorded in the access audit. An unknown "
                            + "value answers 400 naming the header."));
        }));
    }
}
