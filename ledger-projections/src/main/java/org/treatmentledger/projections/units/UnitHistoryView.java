package org.treatmentledger.projections.units;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Units;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * GET /api/patients/{id}/units. Units are per product and never summed across products.
 *
 * @param lifetime                every counting injection and touch-up, per product and site
 * @param byCycle                 per derived cycle (0 = before the first cycle), product and site
 * @param rolling90Days           entries dated in the window ending today (d less than doseCapWindowDays,
 *                                the CUMULATIVE_DOSE_CAP window), per product and site
 * @param rollingWindowStart      first day of that window
 * @param rollingWindowEnd        last day of that window (today, clinic zone)
 * @param lifetimeByProduct       per-product totals of {@code lifetime}
 * @param rolling90DaysByProduct  per-product totals of {@code rolling90Days}, with the configured cap if any
 * @param onaEquivalents          per product with an established ratio (ClinicPolicy.onaEquivalentRatio):
 *                                the onabotulinumtoxinA-equivalent of its totals and the ratio used
 */
public record UnitHistoryView(List<SiteUnits> lifetime, List<CycleSiteUnits> byCycle, List<SiteUnits> rolling90Days,
                              LocalDate rollingWindowStart, LocalDate rollingWindowEnd,
                              List<ProductUnits> lifetimeByProduct, List<ProductUnits> rolling90DaysByProduct,
                              List<OnaEquivalent> onaEquivalents) {

    public record SiteUnits(Product product, Site site, Units units) { }

    public record CycleSiteUnits(int cycle, Product product, Site site, Units units) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProductUnits(Product product, Units units, Units cap) { }

    /**
     * {@code ratio} is {@code product} units per onabotulinumtoxinA unit, as configured; the equivalent is
     * units divided by it. Named so nobody reads an equivalent without its assumption.
     */
    public record OnaEquivalent(Product product, BigDecimal ratio, String ratioSource, Units lifetimeUnits,
                                Units lifetimeOnaEquivalentUnits, Units rolling90DaysUnits,
                                Units rolling90DaysOnaEquivalentUnits) { }
}
