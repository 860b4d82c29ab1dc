package org.treatmentledger.core.api;

import java.util.List;

/**
 * What the Patient aggregate answers to RecordInjection, RecordTouchUp, RecordLaserSession and AmendEntry:
 * the recorded entry's id (for an amend: the correction's id), its cycle (null for laser sessions and
 * non-dose amends; 0 for a touch-up recorded with no cycle under an override) and the advisories recorded on it.
 */
public record RecordedEntry(String entryId, Integer cycle, List<Advisory> advisories) {
    public RecordedEntry {
        advisories = advisories == null ? List.of() : List.copyOf(advisories);
    }
}
