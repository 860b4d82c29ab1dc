package org.treatmentledger.core.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An initial (cycle-opening) injection. {@code injector} is optional: who gave it, when not the recorder. */
public record InjectionDetails(Instant occurredAt, Product product, Lot lot, DoseIntent intent,
                               Indication indication, List<SiteDose> sites, BigDecimal dilutionMlPer100U,
                               String injector) implements EntryDetails {
    public InjectionDetails {
        sites = sites == null ? List.of() : List.copyOf(sites);
    }

    @Override
    public EntryType entryType() { return EntryType.INJECTION; }
}
