package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.Advisory;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.TimelineView;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The advisories of docs/clinical-rules.md: recorded on the accepted event, never a refusal. */
public final class AdvisoryRules {

    private AdvisoryRules() { }

    /** Advisories for an initial injection or touch-up; {@code view} includes the dose as its candidate. */
    public static List<Advisory> forDose(DoseEntry dose, Sex sex, TimelineView view, ClinicPolicy policy) {
        List<Advisory> out = new ArrayList<>();
        doseAboveTypical(dose, sex, policy, out);
        foreheadWithoutGlabella(dose, view, policy, out);
        if (dose.isInitial() && dose.intent() == DoseIntent.FULL && view.previousInitial(dose) == null) {
            out.add(new Advisory(RuleCode.FIRST_TIMER_LIGHT_DOSE, "This is the patient's first cycle and it is dosed"
                    + " FULL; a first-timer is usually started with a light or half-dose trial."));
        }
        return out;
    }

    /** Advisories for a laser session. */
    public static List<Advisory> forLaser(LaserEntry laser) {
        return List.of(new Advisory(RuleCode.RETINOID_PAUSE, "Pause retinoids and acids 2-3 days before and after"
                + " this laser session."));
    }

    private static void doseAboveTypical(DoseEntry dose, Sex sex, ClinicPolicy policy, List<Advisory> out) {
        Map<Site, ClinicPolicy.DoseRange> typical = policy.typicalDoses().get(dose.product());
        if (typical == null) return;
        for (SiteDose siteDose : dose.sites()) {
            ClinicPolicy.DoseRange range = typical.get(siteDose.site());
            if (range == null) continue;
            BigDecimal max = range.max();
            String who = "";
            if (sex == Sex.MALE) {
                max = max.multiply(BigDecimal.valueOf(100L + policy.maleDoseUpliftPercent()))
                        .divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP).stripTrailingZeros();
                who = " for men (" + policy.maleDoseUpliftPercent() + "% above " + range.max().toPlainString() + " U)";
            }
            if (siteDose.units().value().compareTo(max) > 0) {
                out.add(new Advisory(RuleCode.DOSE_ABOVE_TYPICAL, siteDose.site() + ": " + siteDose.units() + " of "
                        + dose.product().brand() + " is above the typical " + range.min().toPlainString() + "-"
                        + max.toPlainString() + " U" + who + "."));
            }
        }
    }

    private static void foreheadWithoutGlabella(DoseEntry dose, TimelineView view, ClinicPolicy policy,
                                                List<Advisory> out) {
        if (!dose.includes(Site.FOREHEAD)) return;
        DoseEntry initial = view.cycleStart(dose);
        if (dose.includes(Site.GLABELLA) || (initial != null && initial.includes(Site.GLABELLA))) return;
        if (initial != null) {
            LocalDate start = initial.date(view.zone());
            for (DoseEntry other : view.doses(start, start.plusDays(policy.touchUpWindowCloseDays()))) {
                if (other.touchUp() && other.includes(Site.GLABELLA)
                        && initial.equals(view.cycleStart(other))) return;
            }
        }
        out.add(new Advisory(RuleCode.FOREHEAD_WITHOUT_GLABELLA, "The forehead is treated in a cycle with no glabella"
                + " dose: risk of a heavy brow."));
    }
}
