package org.treatmentledger.api.fhir;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.treatmentledger.core.api.Product;

import java.util.Locale;

/**
 * The code systems of the export (docs/FHIR.md, "Codes"). Standard systems where the meaning is certain (HL7's own
 * status, severity, outcome, provenance and UCUM codes); everything clinical of the ledger's own vocabulary is in
 * the project's code systems, one per ledger enum, whose codes are the enum names. No SNOMED CT: none of the
 * candidate concepts is certain enough for a medico-legal export (docs/FHIR.md explains each).
 */
public final class FhirCodes {

    /** The base of every project URL: code systems, extensions, identifier systems and the bundles' fullUrls. */
    public static final String BASE = "https://treatmentledger.org/fhir";
    public static final String CODE_SYSTEM = BASE + "/CodeSystem/";
    public static final String EXTENSION = BASE + "/StructureDefinition/";

    public static final String PRODUCT = CODE_SYSTEM + "product";
    public static final String PRODUCT_UNIT = CODE_SYSTEM + "product-unit";
    public static final String SITE = CODE_SYSTEM + "injection-site";
    public static final String ZONE = CODE_SYSTEM + "zone";
    public static final String ENTRY = CODE_SYSTEM + "entry";
    public static final String DOSE_CATEGORY = CODE_SYSTEM + "dose-category";
    public static final String INDICATION = CODE_SYSTEM + "indication";
    public static final String DOSE_INTENT = CODE_SYSTEM + "dose-intent";
    public static final String DEVICE_CLASS = CODE_SYSTEM + "laser-device-class";
    public static final String LASER_SETTING = CODE_SYSTEM + "laser-setting";
    public static final String SIDE_EFFECT = CODE_SYSTEM + "side-effect";
    public static final String CHECKPOINT = CODE_SYSTEM + "photo-checkpoint";
    public static final String CYCLE_FACTOR = CODE_SYSTEM + "cycle-factor";
    public static final String RULE = CODE_SYSTEM + "rule";
    public static final String STATUS_TAG = CODE_SYSTEM + "entry-status";

    public static final String EXT_CYCLE = EXTENSION + "treatment-cycle";
    public static final String EXT_DOSE_INTENT = EXTENSION + "dose-intent";
    public static final String EXT_DILUTION = EXTENSION + "dilution-ml-per-100-units";
    public static final String EXT_LASER_SERIES = EXTENSION + "laser-series";
    public static final String EXT_AFFECTED_ZONE = EXTENSION + "affected-zone";
    public static final String EXT_RESOLVED_AT = EXTENSION + "resolved-at";
    public static final String EXT_OVERRIDE = EXTENSION + "rule-override";
    public static final String EXT_SEAL = EXTENSION + "ledger-seal";
    public static final String EXT_IMAGE_SHA256 = EXTENSION + "image-sha256";

    public static final String PATIENT_ID = BASE + "/sid/patient-id";
    public static final String ENTRY_ID = BASE + "/sid/entry-id";
    public static final String CLINIC_ID = BASE + "/sid/clinic-id";
    public static final String USER = BASE + "/sid/user";

    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation";
    public static final String PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    public static final String AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
    public static final String AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";
    public static final String MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";

    private FhirCodes() { }

    public static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display)).setText(display);
    }

    /** A project code: the enum's name, displayed in words ("CROWS_FEET_LEFT" as "crows feet left"). */
    public static CodeableConcept concept(String system, Enum<?> value) {
        return concept(system, value.name(), words(value));
    }

    public static String words(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** The product by its INN-style name and brand, e.g. "onabotulinumtoxinA (Botox)". */
    public static String productDisplay(Product product) {
        String name = product.name().toLowerCase(Locale.ROOT).replace("_a", "A").replace("_", "");
        return name + " (" + product.brand() + ")";
    }

    /** What one unit of the product is: units are not interchangeable between products, so each has its own. */
    public static String unitDisplay(Product product) {
        return "U of " + productDisplay(product);
    }
}
