package org.treatmentledger.projections.durability;

import java.math.BigDecimal;

/**
 * A cycle's dose band: the total units of the cycle's product (its initial injection's product, initial plus
 * touch-ups, every site) converted to onabotulinumtoxinA-equivalent units with ClinicPolicy.onaEquivalentRatio.
 * Bounds are inclusive upper limits: LOW up to 20 U (about one area, e.g. glabella), MODERATE up to 40 U,
 * HIGH up to 64 U (a full upper face: glabella, forehead, crow's feet), VERY_HIGH above. Products without an
 * established ratio (Jeuveau, Daxxify unless configured) are NO_ESTABLISHED_RATIO rather than guessed.
 */
public enum DoseBand {
    LOW, MODERATE, HIGH, VERY_HIGH, NO_ESTABLISHED_RATIO;

    public static DoseBand of(BigDecimal onaEquivalentUnits) {
        if (onaEquivalentUnits == null) return NO_ESTABLISHED_RATIO;
        if (onaEquivalentUnits.compareTo(BigDecimal.valueOf(20)) <= 0) return LOW;
        if (onaEquivalentUnits.compareTo(BigDecimal.valueOf(40)) <= 0) return MODERATE;
        if (onaEquivalentUnits.compareTo(BigDecimal.valueOf(64)) <= 0) return HIGH;
        return VERY_HIGH;
    }
}
