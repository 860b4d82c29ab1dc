package org.treatmentledger.projections.durability;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.projections.ledger.Cycle;
import org.treatmentledger.projections.ledger.Cycles;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.Collections;
import org.treatmentledger.core.api.DoseIntent;

/**
 * Durability analytics: {@link #facts} derives one patient's observed cycles (open cycles with neither a
 * movement return nor a next cycle are not counted); {@link #group} aggregates facts across patients.
 */
public final class DurabilityCalculator {

    private final ClinicPolicy policy;

    public DurabilityCalculator(ClinicPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
    }

    public List<CycleFact> facts(String patientId, PatientLedger ledger) {
        List<CycleFact> facts = new ArrayList<>();
        for (Cycle cycle : Cycles.of(ledger, policy.zone()).all()) {
            Integer duration;
            CycleFact.Observation observedBy;
            var movementReturn = cycle.movementReturnDays(policy.zone());
            if (movementReturn.isPresent()) {
                duration = movementReturn.get();
                observedBy = CycleFact.Observation.MOVEMENT_RETURN;
            } else if (cycle.intervalDays().isPresent()) {
                duration = cycle.intervalDays().get();
                observedBy = CycleFact.Observation.NEXT_CYCLE;
            } else {
                continue;
            }
            Product product = cycle.start().product();
            BigDecimal units = BigDecimal.ZERO;
            Set<Site> sites = new LinkedHashSet<>();
            for (ClinicalEntry e : cycle.entries()) {
                List<SiteDose> doses;
                if (e instanceof InjectionRecorded i && i.product() == product) doses = i.sites();
                else if (e instanceof TouchUpRecorded t && t.product() == product) doses = t.sites();
                else continue;
                for (SiteDose d : doses) {
                    if (d.site() != null) sites.add(d.site());
                    if (d.units() != null) units = units.add(d.units().value());
                }
            }
            BigDecimal ratio = product == null ? null : policy.onaEquivalentRatio().get(product);
            BigDecimal equivalent = ratio == null || ratio.signum() <= 0 ? null
                    : units.divide(ratio, MathContext.DECIMAL64);
            boolean laser = cycle.entries().stream().anyMatch(LaserSessionRecorded.class::isInstance);
            facts.add(new CycleFact(patientId, cycle.number(), product, cycle.start().intent(),
                    DoseBand.of(equivalent), laser, duration, observedBy, List.copyOf(sites)));
        }
        return facts;
    }

    private record Key(Product product, Site site, DoseBand doseBand, DoseIntent intent,
                       Boolean laserCoTreatment) { }

    private static final Comparator<Key> KEY_ORDER = Comparator
            .comparing(Key::product, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Key::site, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Key::doseBand, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Key::intent, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Key::laserCoTreatment, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Groups facts by the given dimensions; grouping by SITE counts a cycle once in each of its sites' groups. */
    public static DurabilityView group(Collection<CycleFact> facts, List<DurabilityDimension> groupBy) {
        Set<DurabilityDimension> dims = new HashSet<>(groupBy);
        Map<Key, List<CycleFact>> groups = new TreeMap<>(KEY_ORDER);
        for (CycleFact f : facts) {
            List<Site> sites = dims.contains(DurabilityDimension.SITE) ? f.sites() : Collections.singletonList(null);
            for (Site site : sites) {
                Key key = new Key(
                        dims.contains(DurabilityDimension.PRODUCT) ? f.product() : null,
                        site,
                        dims.contains(DurabilityDimension.DOSE_BAND) ? f.doseBand() : null,
                        dims.contains(DurabilityDimension.INTENT) ? f.intent() : null,
                        dims.contains(DurabilityDimension.LASER_CO_TREATMENT) ? f.laserCoTreatment() : null);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
            }
        }
        List<DurabilityView.Group> out = new ArrayList<>();
        groups.forEach((key, members) -> {
            List<Integer> days = members.stream().map(CycleFact::durationDays).sorted().toList();
            long patients = members.stream().map(CycleFact::patientId).distinct().count();
            out.add(new DurabilityView.Group(key.product(), key.site(), key.doseBand(), key.intent(),
                    key.laserCoTreatment(), (int) patients, members.size(),
                    percentile(days, 0.5), percentile(days, 0.25), percentile(days, 0.75)));
        });
        return new DurabilityView(List.copyOf(new LinkedHashSet<>(groupBy)), out);
    }

    /** Linear interpolation between closest ranks (R type 7, Excel PERCENTILE.INC), one decimal. */
    static double percentile(List<Integer> sorted, double p) {
        if (sorted.isEmpty()) throw new IllegalArgumentException("no values");
        double h = (sorted.size() - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        double value = sorted.get(lo) + (h - lo) * (sorted.get(hi) - sorted.get(lo));
        return Math.round(value * 10) / 10.0;
    }
}
