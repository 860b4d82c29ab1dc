package org.treatmentledger.projections.lots;

import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Units;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** GET /api/lots/{lotNumber}/patients: every counting administration from the lot, in occurredAt order. */
public record LotAdministrationsView(String lotNumber, List<Administration> administrations) {

    public LotAdministrationsView {
        administrations = List.copyOf(administrations);
    }

    /**
     * One injection or touch-up from the lot, with its current (amended) values; {@code units} is the entry's
     * total of its product over all sites, {@code sites} the breakdown.
     */
    public record Administration(String patientId, String entryId, Instant occurredAt, Units units, Product product,
                                 EntryType entryType, int cycle, LocalDate lotExpiresOn, List<SiteDose> sites) { }
}
