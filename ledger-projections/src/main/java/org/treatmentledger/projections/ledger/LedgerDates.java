package org.treatmentledger.projections.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/** Day counting as docs/clinical-rules.md defines it: calendar days between local dates in the clinic's zone. */
public final class LedgerDates {

    private LedgerDates() { }

    public static LocalDate date(Instant instant, ZoneId zone) {
        return instant.atZone(zone).toLocalDate();
    }

    public static int daysBetween(LocalDate from, LocalDate to) {
        return Math.toIntExact(ChronoUnit.DAYS.between(from, to));
    }

    public static LocalDate max(LocalDate a, LocalDate b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.isAfter(b) ? a : b;
    }
}
