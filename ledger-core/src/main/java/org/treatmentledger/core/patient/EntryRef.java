package org.treatmentledger.core.patient;

import org.treatmentledger.core.api.EntryType;

/** What the aggregate remembers of every entry id on the stream: its type, whether it is voided, and for side-effect entries their side effect. */
record EntryRef(EntryType type, boolean voided, String sideEffectId) {

    static EntryRef of(EntryType type) { return new EntryRef(type, false, null); }

    EntryRef asVoided() { return new EntryRef(type, true, sideEffectId); }
}
