package org.treatmentledger.core.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An amend's corrected content, each reading naming its own entry type. A caller that knows the target's type
 * gives one reading; the HTTP API, whose replacement body has the original write body's shape but names no type,
 * gives a reading for every type the body reads as. The aggregate, which knows the target, takes the reading of
 * the target's type, so an amend is one command and one load of the patient.
 */
public record Replacement(List<EntryDetails> readings) {

    public Replacement {
        readings = List.copyOf(readings);
        Set<EntryType> types = EnumSet.noneOf(EntryType.class);
        for (EntryDetails reading : readings) {
            if (!types.add(reading.entryType())) {
                throw new IllegalArgumentException("two readings of type " + reading.entryType());
            }
        }
    }

    public static Replacement of(EntryDetails details) {
        return new Replacement(details == null ? List.of() : List.of(details));
    }

    /** The reading of {@code type}, or null where the content does not read as one. */
    public EntryDetails as(EntryType type) {
        for (EntryDetails reading : readings) {
            if (reading.entryType() == type) return reading;
        }
        return null;
    }

    /** The types the content reads as. */
    public List<EntryType> types() {
        return readings.stream().map(EntryDetails::entryType).toList();
    }
}
