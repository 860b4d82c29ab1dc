package org.treatmentledger.api.audit;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a record is looked at: the {@code Purpose-Of-Use} header, modelled on HL7 v3 PurposeOfUse
 * (terminology.hl7.org, ValueSet v3-PurposeOfUse); each value names the HL7 code it stands for.
 */
public enum Purpose {
    /** TREAT: treatment. The default. */
    TREATMENT("TREAT"),
    /** ETREAT: emergency treatment. */
    EMERGENCY_TREATMENT("ETREAT"),
    /** HOPERAT: healthcare operations (scheduling, quality). */
    OPERATIONS("HOPERAT"),
    /** HPAYMT: payment. */
    PAYMENT("HPAYMT"),
    /** PATRQT: at the patient's request (e.g. a copy of their record). */
    PATIENT_REQUEST("PATRQT"),
    /** HLEGAL: legal (a medico-legal review). */
    LEGAL("HLEGAL"),
    /** HRESCH: research. */
    RESEARCH("HRESCH"),
    /** PUBHLTH: public health (e.g. a lot recall). */
    PUBLIC_HEALTH("PUBHLTH");

    public static final String HEADER = "Purpose-Of-Use";

    private final String hl7Code;

    Purpose(String hl7Code) {
        this.hl7Code = hl7Code;
    }

    public String hl7Code() {
        return hl7Code;
    }

    /** The header's value: absent or blank is TREATMENT; an unknown value is empty. */
    static Optional<Purpose> of(String header) {
        if (header == null || header.isBlank()) return Optional.of(TREATMENT);
        try {
            return Optional.of(valueOf(header.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
