package org.treatmentledger.core.rules.timeline;

import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.TouchUpRecorded;

import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Units;

import java.time.Instant;
import java.util.List;

/** An initial injection ({@code touchUp} false: it opens a cycle) or a touch-up. {@code intent} is null for touch-ups. */
public record DoseEntry(String entryId, long sequence, Instant occurredAt, boolean touchUp, Product product,
                        DoseIntent intent, List<SiteDose> sites) implements TimelineEntry {

    public DoseEntry {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    /** A recorded initial injection as the rules see it, first recorded at stream sequence {@code sequence}. */
    public static DoseEntry of(InjectionRecorded e, long sequence) {
        return new DoseEntry(e.entryId(), sequence, e.occurredAt(), false, e.product(), e.intent(), e.sites());
    }

    /** A recorded touch-up as the rules see it, first recorded at stream sequence {@code sequence}. */
    public static DoseEntry of(TouchUpRecorded e, long sequence) {
        return new DoseEntry(e.entryId(), sequence, e.occurredAt(), true, e.product(), null, e.sites());
    }

    @Override
    public DoseEntry at(Instant occurredAt) {
        return new DoseEntry(entryId, sequence, occurredAt, touchUp, product, intent, sites);
    }

    public boolean isInitial() { return !touchUp; }

    public boolean includes(Site site) {
        for (SiteDose dose : sites) if (dose.site() == site) return true;
        return false;
    }

    public boolean touchesPeriocular() {
        for (SiteDose dose : sites) if (dose.site() != null && dose.site().isPeriocular()) return true;
        return false;
    }

    public Units totalUnits() {
        Units total = Units.ZERO;
        for (SiteDose dose : sites) if (dose.units() != null) total = total.plus(dose.units());
        return total;
    }
}
