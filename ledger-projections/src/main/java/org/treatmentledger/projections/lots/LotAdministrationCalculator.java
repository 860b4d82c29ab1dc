package org.treatmentledger.projections.lots;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.projections.ledger.Cycles;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A patient's administrations per lot, from the effective ledger: a voided injection is not an
 * administration; an amended lot number moves it to the corrected lot.
 */
public final class LotAdministrationCalculator {

    private final ZoneId zone;

    public LotAdministrationCalculator(ZoneId zone) {
        this.zone = zone;
    }

    public record LotAdministration(String lotNumber, LotAdministrationsView.Administration administration) { }

    public List<LotAdministration> administrations(String patientId, PatientLedger ledger) {
        List<ClinicalEntry> effective = ledger.effective();
        Cycles cycles = Cycles.of(effective, zone);
        List<LotAdministration> out = new ArrayList<>();
        for (ClinicalEntry e : effective) {
            Lot lot;
            Product product;
            List<SiteDose> sites;
            EntryType type;
            if (e instanceof InjectionRecorded i) {
                lot = i.lot();
                product = i.product();
                sites = i.sites();
                type = EntryType.INJECTION;
            } else if (e instanceof TouchUpRecorded t) {
                lot = t.lot();
                product = t.product();
                sites = t.sites();
                type = EntryType.TOUCH_UP;
            } else {
                continue;
            }
            if (lot == null || lot.number() == null || lot.number().isBlank()) continue;
            Units total = Units.ZERO;
            for (SiteDose d : sites) if (d.units() != null) total = total.plus(d.units());
            out.add(new LotAdministration(normalise(lot.number()), new LotAdministrationsView.Administration(
                    patientId, e.entryId(), e.occurredAt(), total, product, type, cycles.numberOf(e),
                    lot.expiresOn(), sites)));
        }
        return out;
    }

    /** Lot numbers are matched exactly, apart from surrounding blanks. */
    public static String normalise(String lotNumber) {
        return lotNumber == null ? null : lotNumber.strip();
    }
}
