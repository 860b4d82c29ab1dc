package org.treatmentledger.api.fhir;

import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.r4.model.AdverseEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Media;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.units.UnitHistoryCalculator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping alone (no service): HAPI's validator finds no error, and the shapes docs/FHIR.md describes are there. */
class LedgerFhirMappingTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private final LedgerFhirMapping mapping = new LedgerFhirMapping(ZoneOffset.UTC);

    @Test
    void everyEntryTypeWithCorrectionsAndOverridesIsValid() {
        LedgerSamples sample = LedgerSamples.everyEntryType(START);
        Bundle bundle = mapping.bundle(sample.history(), Map.of(), Instant.parse("2026-06-01T00:00:00Z"));
        ValidationResult result = FhirValidation.validate(bundle);
        FhirValidation.warnings(result).forEach(System.out::println);
        assertThat(FhirValidation.errors(result)).isEmpty();
        assertThat(FhirValidation.networkAttempts()).isEmpty();

        List<Resource> resources = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
        List<MedicationAdministration> mas = of(resources, MedicationAdministration.class);
        // 4 sites + touch-up 1 + voided touch-up 1 + 3 sites of the second cycle
        assertThat(mas).hasSize(9);
        assertThat(mas).filteredOn(m -> m.getStatus() == MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR)
                .singleElement().satisfies(m -> assertThat(m.getDosage().getDose().getValue()).isEqualByComparingTo("2.5"));
        // the amend applies: forehead 10, not 8; the unit names the product
        MedicationAdministration forehead = mas.stream().filter(m -> m.getDosage().getSite().getCodingFirstRep().getCode()
                .equals("FOREHEAD") && m.getDosage().getDose().getValue().intValue() == 10).findFirst().orElseThrow();
        assertThat(forehead.getDosage().getDose().getUnit()).contains("onabotulinumtoxinA");
        assertThat(((org.hl7.fhir.r4.model.Medication) forehead.getContained().get(0)).getBatch().getLotNumber()).isEqualTo("C1234");
        assertThat(forehead.getPartOfFirstRep().getReference()).startsWith("Procedure/");
        assertThat(forehead.getExtensionByUrl(FhirCodes.EXT_CYCLE).getValue().primitiveValue()).isEqualTo("1");
        MedicationAdministration masseter = mas.stream().filter(m -> m.getDosage().getSite().getCodingFirstRep().getCode()
                .equals("MASSETER_LEFT")).findFirst().orElseThrow();
        assertThat(masseter.getExtensionByUrl(FhirCodes.EXT_CYCLE).getValue().primitiveValue()).isEqualTo("2");
        assertThat(masseter.getDosage().getDose().getCode()).isEqualTo("ABOBOTULINUMTOXIN_A");

        // voided side effect tagged, the other resolved and suspecting the injection's visit
        List<AdverseEvent> aes = of(resources, AdverseEvent.class);
        assertThat(aes).hasSize(2);
        assertThat(aes).filteredOn(a -> a.getMeta().getTag(FhirCodes.STATUS_TAG, "entered-in-error") != null).hasSize(1);
        AdverseEvent bruise = aes.stream().filter(a -> a.getEvent().getCodingFirstRep().getCode().equals("BRUISING")).findFirst().orElseThrow();
        assertThat(bruise.getOutcome().getCodingFirstRep().getCode()).isEqualTo("resolved");
        assertThat(bruise.getSuspectEntityFirstRep().getInstance().getReference()).startsWith("Procedure/");

        assertThat(of(resources, Media.class)).hasSize(3).allSatisfy(m -> assertThat(m.getContent().getHash()).hasSize(32));
        Procedure laser = of(resources, Procedure.class).stream()
                .filter(p -> p.getCode().getCodingFirstRep().getCode().equals("LASER_SESSION") && p.hasBodySite()
                        && p.getBodySite().size() == 2).findFirst().orElseThrow();
        assertThat(laser.getUsedCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("NON_ABLATIVE_FRACTIONAL");

        List<Provenance> provenances = of(resources, Provenance.class);
        assertThat(provenances).anySatisfy(p -> {
            Extension override = p.getExtensionByUrl(FhirCodes.EXT_OVERRIDE);
            assertThat(override).isNotNull();
            assertThat(override.getExtensionByUrl("rule").getValue().toString()).isNotNull();
            assertThat(p.getTargetFirstRep().getReference()).isEqualTo("Procedure/" + laser.getIdPart());
        });
        assertThat(provenances).filteredOn(p -> p.getActivity().getCodingFirstRep().getCode().equals("NULLIFY")).hasSize(2);
        assertThat(provenances).filteredOn(p -> p.getActivity().getCodingFirstRep().getCode().equals("UPDATE")).hasSize(2);
    }

    @Test
    void unitsRoundTripToTheUnitHistory() {
        LedgerSamples sample = LedgerSamples.everyEntryType(START);
        Bundle bundle = mapping.bundle(sample.history(), Map.of(), START);
        var units = new UnitHistoryCalculator(ClinicPolicy.defaults()).unitHistory(sample.ledger(), LocalDate.of(2026, 6, 1));
        assertThat(FhirUnits.administered(bundle)).isEqualTo(FhirUnits.lifetime(units))
                .containsEntry("ONABOTULINUMTOXIN_A/FOREHEAD", new java.math.BigDecimal("12"))
                .containsEntry("ONABOTULINUMTOXIN_A/GLABELLA", new java.math.BigDecimal("12"));
    }

    @Test
    void sealsAppearOnTheProvenanceOfTheirEntry() {
        LedgerSamples sample = LedgerSamples.everyEntryType(START);
        var history = sample.history();
        String registration = history.entries().get(0).entryId();
        Bundle bundle = mapping.bundle(history, Map.of(registration, new LedgerFhirMapping.Seal(7, 42,
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "ledger.example/t")), START);
        assertThat(FhirValidation.errors(FhirValidation.validate(bundle))).isEmpty();
        Provenance p = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Provenance.class::isInstance).map(Provenance.class::cast)
                .filter(x -> x.getTargetFirstRep().getReference().startsWith("Patient/")).findFirst().orElseThrow();
        assertThat(p.getExtensionByUrl(FhirCodes.EXT_SEAL).getExtensionByUrl("leafIndex").getValue().primitiveValue()).isEqualTo("7");
    }

    /** The check has teeth: a bundle whose MedicationAdministration lost its required status and subject fails it. */
    @Test
    void theValidatorFindsErrors() {
        Bundle bundle = mapping.bundle(LedgerSamples.everyEntryType(START).history(), Map.of(), START);
        MedicationAdministration ma = (MedicationAdministration) bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).filter(MedicationAdministration.class::isInstance)
                .findFirst().orElseThrow();
        ma.setStatus(null);
        ma.setSubject(null);
        ma.getDosage().getDose().setCode(null); // a Quantity with a system needs a code
        List<String> errors = FhirValidation.errors(FhirValidation.validate(bundle));
        assertThat(errors).anyMatch(e -> e.contains("status")).anyMatch(e -> e.contains("subject"));
    }

    private static <T extends Resource> List<T> of(List<Resource> resources, Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
