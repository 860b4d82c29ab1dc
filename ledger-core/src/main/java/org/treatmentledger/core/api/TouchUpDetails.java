package org.treatmentledger.core.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

public record TouchUpDetails(Instant occurredAt, Product product, Lot lot, Indication indication,
                             List<SiteDose> sites, BigDecimal dilutionMlPer100U, String injector)
        implements EntryDetails {
    public TouchUpDetails {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    @Override
    public EntryType entryType() { return EntryType.TOUCH_UP; }
}
