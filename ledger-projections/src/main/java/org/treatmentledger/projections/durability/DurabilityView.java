package org.treatmentledger.projections.durability;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;

import java.util.List;

/** GET /api/analytics/durability?groupBy=...: one group per combination of the grouped dimensions. */
public record DurabilityView(List<DurabilityDimension> groupBy, List<Group> groups) {

    public DurabilityView {
        groupBy = List.copyOf(groupBy);
        groups = List.copyOf(groups);
    }

    /**
     * A dimension's field is absent when the view is not grouped by it. Percentiles interpolate linearly
     * between closest ranks (as Excel PERCENTILE.INC), in days, to one decimal.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(Product product, Site site, DoseBand doseBand, DoseIntent intent, Boolean laserCoTreatment,
                        int patients, int cycles, double medianDays, double p25Days, double p75Days) { }
}
