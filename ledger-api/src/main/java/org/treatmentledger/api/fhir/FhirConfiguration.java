package org.treatmentledger.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.api.clinics.ClinicPatients;
import org.treatmentledger.api.consistency.ReadModelsCatchUp;
import org.treatmentledger.api.integrity.TreeStore;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.core.rules.ClinicPolicy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The FHIR export ({@code ledger.fhir.*}): one FhirContext for the service (building one scans the R4 model, about a
 * second), the mapping in the clinic policy's zone, and the bulk export's jobs.
 */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

    /**
     * Without HAPI's search for reference targets to contain: the mapping contains what it means to (the product of
     * an administration, by its own id) and refers to everything else by id, so the search never finds anything,
     * yet it walked every element of a bundle before encoding it, about 40 % of a 100-entry patient's JSON time.
     */
    @Bean
    FhirContext fhirContext() {
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return fhir;
    }

    @Bean
    FhirExport fhirExport(ReadController reads, ClinicPolicy policy, ObjectProvider<TreeStore> integrity,
                          FhirContext fhir, Clock clock) {
        return new FhirExport(reads, new LedgerFhirMapping(policy.zone()), new LedgerSeals(integrity.getIfAvailable()),
                fhir, clock);
    }

    @Bean(destroyMethod = "shutdown")
    BulkExport fhirBulkExport(FhirExport export, JdbcTemplate jdbc, ReadModelsCatchUp catchUp,
                              PlatformTransactionManager transactions, Clock clock,
                              @Value("${ledger.fhir.export-retention:1h}") Duration retention,
                              @Value("${ledger.fhir.export-dir:${java.io.tmpdir}/treatment-ledger-fhir}") Path directory) {
        return new BulkExport(export, new ClinicPatients(jdbc), catchUp, transactions, clock, retention, directory);
    }
}
