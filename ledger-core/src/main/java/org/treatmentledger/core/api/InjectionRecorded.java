package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** An initial injection: it opens cycle {@code cycle} (1-based, in occurredAt order when recorded). */
public record InjectionRecorded(PatientId patientId, String entryId, Instant occurredAt, int cycle,
                                Product product, Lot lot, BigDecimal dilutionMlPer100U, DoseIntent intent,
                                Indication indication, List<SiteDose> sites, String injector,
                                List<Advisory> advisories) implements ClinicalEntry {
    public InjectionRecorded {
        sites = sites == null ? List.of() : List.copyOf(sites);
        advisories = advisories == null ? List.of() : List.copyOf(advisories);
    }

    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.INJECTION; }
}
