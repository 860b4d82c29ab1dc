package org.treatmentledger.projections.intervals;

import org.treatmentledger.core.api.CycleFactor;

import java.util.Collection;

/**
 * docs/clinical-rules.md, Schedule and drift: drift at or below minus the threshold is STRESS_SHORTENED when a STRESS
 * factor was reported between the two cycle starts, else SHORTENED; at or above the threshold EXTENDED;
 * anything else ON_TIME. The threshold is ClinicPolicy.driftThresholdDays (14).
 */
public enum DriftClassification {
    ON_TIME, STRESS_SHORTENED, SHORTENED, EXTENDED;

    public static DriftClassification of(int driftDays, Collection<CycleFactor> factors, int thresholdDays) {
        if (driftDays <= -thresholdDays) {
            return factors.contains(CycleFactor.STRESS) ? STRESS_SHORTENED : SHORTENED;
        }
        if (driftDays >= thresholdDays) return EXTENDED;
        return ON_TIME;
    }
}
