package org.treatmentledger.api.fhir;

import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.treatmentledger.api.clinics.CallerClinics;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.api.patient.ReadController;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 300 patients of api.demo's generator (one year each, to keep the time: cycles, touch-ups, amends, overrides, laser
 * series, side effects, photos): every patient's bundle passes HAPI's validator with no error, and its units
 * round-trip to the unit history. Through the service's beans (the read path of GET /fhir and GET /units) rather
 * than HTTP, and the bundles validated on two threads (HAPI's FhirValidator is thread-safe), to keep the time to
 * the generation and the validation (docs/FHIR.md, "Tests", has the times).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ledger.demo.generate=true", "ledger.demo.patients=300", "ledger.demo.years=1", "ledger.demo.seed=17"})
class DemoPatientsFhirTest {

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry registry) throws IOException {
        LedgerTestSupport.ownEmbeddedPostgres(registry, "ledger-fhir-demo-");
    }

    @Autowired
    FhirExport export;

    @Autowired
    BulkExport bulk;

    @Autowired
    ReadController reads;

    @Test
    void everyDemoPatientIsValidFhirAndItsUnitsRoundTrip() {
        // An auditor of the demo generator's clinics: the reads run in that clinic scope (row-level security).
        Set<String> clinics = Set.of("clinic-1", "clinic-2"); // the demo generator's (the demo users' clinics)
        List<GrantedAuthority> authorities = new ArrayList<>(AuthorityUtils.createAuthorityList("ROLE_AUDITOR"));
        clinics.forEach(clinic -> authorities.add(CallerClinics.authority(clinic)));
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken("auditor", "n/a",
                authorities));
        try {
            // The generator's commands are acknowledged; the read models may still be applying the last of them.
            // Polled in this thread: the clinic scope comes from its security context.
            org.awaitility.Awaitility.await().pollInSameThread().atMost(java.time.Duration.ofMinutes(2))
                    .until(() -> bulk.patientsOf(clinics).size() == 300);
            List<String> patients = bulk.patientsOf(clinics);
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Bundle> bundles = new ArrayList<>();
            long resources = 0;
            for (String patient : patients) {
                Bundle bundle = export.bundle(patient);
                bundles.add(bundle);
                resources += bundle.getEntry().size();
                Map<String, java.math.BigDecimal> administered = FhirUnits.administered(bundle);
                Map<String, java.math.BigDecimal> lifetime = FhirUnits.lifetime(reads.units(patient));
                if (!administered.equals(lifetime)) {
                    failures.add(patient + ": units " + administered + " in the MedicationAdministrations, " + lifetime
                            + " in the unit history");
                }
            }
            long started = System.nanoTime();
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(2);
            try {
                pool.submit(() -> bundles.parallelStream().forEach(bundle -> {
                    ValidationResult result = FhirValidation.validate(bundle);
                    FhirValidation.errors(result).forEach(e -> failures.add(bundle.getEntryFirstRep().getResource()
                            .getIdPart() + ": " + e));
                })).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                pool.shutdown();
            }
            long validating = System.nanoTime() - started;
            System.out.printf("DemoPatientsFhirTest: %d patients, %d resources, validated in %d ms%n", patients.size(),
                    resources, validating / 1_000_000);
            assertThat(failures).isEmpty();
            assertThat(FhirValidation.networkAttempts()).isEmpty();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
