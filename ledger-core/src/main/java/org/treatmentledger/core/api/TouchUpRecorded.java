package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** A touch-up inside cycle {@code cycle}. */
public record TouchUpRecorded(PatientId patientId, String entryId, Instant occurredAt, int cycle,
                              Product product, Lot lot, BigDecimal dilutionMlPer100U, Indication indication,
                              List<SiteDose> sites, String injector, List<Advisory> advisories)
        implements ClinicalEntry {
    public TouchUpRecorded {
        sites = sites == null ? List.of() : List.copyOf(sites);
        advisories = advisories == null ? List.of() : List.copyOf(advisories);
    }

    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.TOUCH_UP; }
}
