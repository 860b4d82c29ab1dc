package org.treatmentledger.projections.durability;

import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;

import java.util.List;

/**
 * One observed cycle for durability analytics.
 *
 * @param durationDays      start to the first movement return recorded in the cycle, else to the next start
 * @param observedBy        MOVEMENT_RETURN or NEXT_CYCLE
 * @param sites             the sites injected with the cycle's product in the cycle (initial and touch-ups)
 * @param laserCoTreatment  a laser session (any class) recorded inside the cycle: from its start up to the
 *                          next initial injection
 */
public record CycleFact(String patientId, int cycle, Product product, DoseIntent intent, DoseBand doseBand,
                        boolean laserCoTreatment, int durationDays, Observation observedBy, List<Site> sites) {

    public enum Observation { MOVEMENT_RETURN, NEXT_CYCLE }

    public CycleFact {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }
}
