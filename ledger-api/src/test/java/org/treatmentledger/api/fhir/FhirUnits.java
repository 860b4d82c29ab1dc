package org.treatmentledger.api.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.Resource;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The round trip's two sides: units per "product/site" from the MedicationAdministrations, and from the unit history. */
final class FhirUnits {

    private FhirUnits() { }

    /** Sums the dose of every MedicationAdministration that is not entered-in-error, by its product unit and site codes. */
    static Map<String, BigDecimal> administered(List<? extends Resource> resources) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (Resource r : resources) {
            if (!(r instanceof MedicationAdministration ma)) continue;
            if (ma.getStatus() == MedicationAdministration.MedicationAdministrationStatus.ENTEREDINERROR) continue;
            var dose = ma.getDosage().getDose();
            if (!FhirCodes.PRODUCT_UNIT.equals(dose.getSystem())) throw new AssertionError("dose without product unit: " + ma.getId());
            String key = dose.getCode() + "/" + ma.getDosage().getSite().getCodingFirstRep().getCode();
            totals.merge(key, dose.getValue(), BigDecimal::add);
        }
        totals.replaceAll((k, v) -> new Units(v).value()); // 20, not 2E+1
        return totals;
    }

    static Map<String, BigDecimal> administered(Bundle bundle) {
        return administered(bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList());
    }

    static Map<String, BigDecimal> lifetime(UnitHistoryView units) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        for (UnitHistoryView.SiteUnits row : units.lifetime()) {
            totals.merge(row.product().name() + "/" + row.site().name(), row.units().value(), BigDecimal::add);
        }
        totals.replaceAll((k, v) -> new Units(v).value()); // 20, not 2E+1
        return totals;
    }
}
