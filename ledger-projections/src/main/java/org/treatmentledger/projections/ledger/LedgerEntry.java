package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.EntryAmended;

import java.util.List;

/**
 * A correctable entry with the corrections applied: {@code current} is the original or, after an amend, the
 * latest replacement (it carries the original's entry id); {@code versions} holds every version in the
 * order it was recorded, the original first, each with the amend that replaced it.
 */
public record LedgerEntry(RecordedEvent original, ClinicalEntry current, boolean voided,
                          List<Version> versions) {

    /** One version of an entry's content; {@code supersededBy} is null for the current one. */
    public record Version(ClinicalEntry content, RecordedEvent recordedBy, RecordedEvent supersededBy) {
        public EntryAmended amendment() {
            return supersededBy == null ? null : (EntryAmended) supersededBy.event();
        }
    }

    public String entryId() { return original.event().entryId(); }

    public boolean counts() { return !voided; }
}
