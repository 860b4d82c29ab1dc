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
import org.treatmentledger.api.clinics.PatientClinics;

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
