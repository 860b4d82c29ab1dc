package org.treatmentledger.projections.units;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ledger.Cycles;
import org.treatmentledger.projections.ledger.LedgerDates;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Cumulative units from a patient's effective ledger: voided entries leave, amended ones count as amended. */
public final class UnitHistoryCalculator {

    static final String RATIO_SOURCE = "ClinicPolicy.onaEquivalentRatio";

    private final ClinicPolicy policy;

    public UnitHistoryCalculator(ClinicPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
    }

    private record Key(int cycle, Product product, Site site) { }

    public UnitHistoryView unitHistory(PatientLedger ledger, LocalDate today) {
        List<ClinicalEntry> effective = ledger.effective();
        Cycles cycles = Cycles.of(effective, policy.zone());
        LocalDate windowStart = today.minusDays(policy.doseCapWindowDays() - 1L);

        Map<Product, Map<Site, Units>> lifetime = new TreeMap<>();
        Map<Product, Map<Site, Units>> rolling = new TreeMap<>();
        Map<Key, Units> byCycle = new TreeMap<>((a, b) -> a.cycle != b.cycle ? Integer.compare(a.cycle, b.cycle)
                : a.product != b.product ? a.product.compareTo(b.product) : a.site.compareTo(b.site));
        for (ClinicalEntry entry : effective) {
            Product product;
            List<SiteDose> sites;
            if (entry instanceof InjectionRecorded i) {
                product = i.product();
                sites = i.sites();
            } else if (entry instanceof TouchUpRecorded t) {
                product = t.product();
                sites = t.sites();
            } else {
                continue;
            }
            LocalDate date = LedgerDates.date(entry.occurredAt(), policy.zone());
            boolean inWindow = !date.isBefore(windowStart) && !date.isAfter(today);
            int cycle = cycles.numberOf(entry);
            for (SiteDose dose : sites) {
                if (dose.site() == null || dose.units() == null) continue;
                add(lifetime, product, dose.site(), dose.units());
                if (inWindow) add(rolling, product, dose.site(), dose.units());
                byCycle.merge(new Key(cycle, product, dose.site()), dose.units(), Units::plus);
            }
        }
        List<UnitHistoryView.CycleSiteUnits> cycleRows = new ArrayList<>();
        byCycle.forEach((k, u) -> cycleRows.add(new UnitHistoryView.CycleSiteUnits(k.cycle, k.product, k.site, u)));

        Map<Product, Units> lifetimeTotals = totals(lifetime);
        Map<Product, Units> rollingTotals = totals(rolling);
        List<UnitHistoryView.ProductUnits> lifetimeByProduct = new ArrayList<>();
        lifetimeTotals.forEach((p, u) -> lifetimeByProduct.add(new UnitHistoryView.ProductUnits(p, u, null)));
        List<UnitHistoryView.ProductUnits> rollingByProduct = new ArrayList<>();
        rollingTotals.forEach((p, u) -> {
            BigDecimal cap = policy.doseCaps().get(p);
            rollingByProduct.add(new UnitHistoryView.ProductUnits(p, u, cap == null ? null : new Units(cap)));
        });
        List<UnitHistoryView.OnaEquivalent> equivalents = new ArrayList<>();
        lifetimeTotals.forEach((p, u) -> {
            BigDecimal ratio = policy.onaEquivalentRatio().get(p);
            if (ratio == null || ratio.signum() <= 0) return;
            Units r90 = rollingTotals.getOrDefault(p, Units.ZERO);
            equivalents.add(new UnitHistoryView.OnaEquivalent(p, ratio, RATIO_SOURCE, u, equivalent(u, ratio),
                    r90, equivalent(r90, ratio)));
        });
        return new UnitHistoryView(rows(lifetime), cycleRows, rows(rolling), windowStart, today,
                lifetimeByProduct, rollingByProduct, equivalents);
    }

    private static Units equivalent(Units units, BigDecimal ratio) {
        return new Units(units.value().divide(ratio, 2, RoundingMode.HALF_UP));
    }

    private static void add(Map<Product, Map<Site, Units>> m, Product p, Site s, Units u) {
        m.computeIfAbsent(p, k -> new TreeMap<>()).merge(s, u, Units::plus);
    }

    private static Map<Product, Units> totals(Map<Product, Map<Site, Units>> m) {
        Map<Product, Units> totals = new TreeMap<>();
        m.forEach((p, sites) -> sites.values().forEach(u -> totals.merge(p, u, Units::plus)));
        return totals;
    }

    private static List<UnitHistoryView.SiteUnits> rows(Map<Product, Map<Site, Units>> m) {
        List<UnitHistoryView.SiteUnits> rows = new ArrayList<>();
        m.forEach((p, sites) -> sites.forEach((s, u) -> rows.add(new UnitHistoryView.SiteUnits(p, s, u))));
        return rows;
    }
}
