package org.treatmentledger.core.api;

import java.time.LocalDate;

/** A product lot: the traceability anchor for recalls. */
public record Lot(String number, LocalDate expiresOn) { }
