package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The integrity rules of docs/clinical-rules.md (FUTURE_EVENT, BEFORE_REGISTRATION, EXPIRED_LOT, INVALID_UNITS):
 * a command that breaks one is refused even with an override.
 */
public final class IntegrityRules {

    private IntegrityRules() { }

    /** FUTURE_EVENT and BEFORE_REGISTRATION for an entry's clinical time. */
    public static List<Violation> checkTime(String entryId, Instant occurredAt, Instant registeredAt, Instant now,
                                            ClinicPolicy policy) {
        List<Violation> out = new ArrayList<>();
        if (occurredAt == null) {
            out.add(new Violation(RuleCode.FUTURE_EVENT, "occurredAt is required.", null, entryId, null));
            return out;
        }
        if (occurredAt.isAfter(now.plus(policy.futureSkew()))) {
            out.add(new Violation(RuleCode.FUTURE_EVENT, "The entry's time " + occurredAt + " is in the future (now "
                    + now + "; " + policy.futureSkew().toMinutes() + " min clock skew tolerated).", null, entryId, null));
        }
        if (registeredAt != null && occurredAt.isBefore(registeredAt)) {
            out.add(new Violation(RuleCode.BEFORE_REGISTRATION, "The entry's time " + occurredAt
                    + " is before the patient's registration at " + registeredAt + ".", null, entryId, null));
        }
        return out;
    }

    /** EXPIRED_LOT and INVALID_UNITS for an injection or touch-up given on {@code date}. */
    public static List<Violation> checkDose(String entryId, LocalDate date, Lot lot, List<SiteDose> sites) {
        List<Violation> out = new ArrayList<>();
        if (lot == null || lot.expiresOn() == null) {
            out.add(new Violation(RuleCode.EXPIRED_LOT, "The product lot and its expiry date are required to show the"
                    + " lot was not expired.", null, entryId, null));
        } else if (date != null && date.isAfter(lot.expiresOn())) {
            out.add(new Violation(RuleCode.EXPIRED_LOT, "Lot " + lot.number() + " expired on " + lot.expiresOn()
                    + ", before the injection date " + date + ".", null, entryId, null));
        }
        if (sites == null || sites.isEmpty()) {
            out.add(new Violation(RuleCode.INVALID_UNITS, "At least one injection site with its units is required.",
                    null, entryId, null));
            return out;
        }
        Set<Site> seen = EnumSet.noneOf(Site.class);
        for (SiteDose dose : sites) {
            if (dose == null || dose.site() == null) {
                out.add(new Violation(RuleCode.INVALID_UNITS, "Every dose must name its site.", null, entryId, null));
                continue;
            }
            if (dose.units() == null || !dose.units().isPositive()) {
                out.add(new Violation(RuleCode.INVALID_UNITS, "Units must be positive: " + dose.site() + " has "
                        + (dose.units() == null ? "none" : dose.units()) + ".", null, entryId, null));
            }
            if (!seen.add(dose.site())) {
                out.add(new Violation(RuleCode.INVALID_UNITS, "Site " + dose.site()
                        + " appears more than once in one entry; give its total units once.", null, entryId, null));
            }
        }
        return out;
    }
}
