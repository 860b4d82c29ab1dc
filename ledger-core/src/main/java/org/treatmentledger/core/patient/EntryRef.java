package org.treatmentledger.core.patient;

import org.treatmentledger.core.api.EntryType;

/** What the aggregate remembers of every entry id on the stream: its type, whether it is voided, and for side-effect entries their side effect. */
public record EntryRef(EntryType type, boolean voided, String sideEffectId) {

    // Immutable, so the refs without a side effect are shared: a long history holds one per type, not one per entry.
    private static final EntryRef[] PLAIN = new EntryRef[EntryType.values().length];
    private static final EntryRef[] VOIDED = new EntryRef[EntryType.values().length];

    static {
        for (EntryType type : EntryType.values()) {
            PLAIN[type.ordinal()] = new EntryRef(type, false, null);
            VOIDED[type.ordinal()] = new EntryRef(type, true, null);
        }
    }

    public static EntryRef of(EntryType type) { return PLAIN[type.ordinal()]; }

    public static EntryRef of(EntryType type, String sideEffectId) {
        return sideEffectId == null ? of(type) : new EntryRef(type, false, sideEffectId);
    }

    public EntryRef asVoided() { return sideEffectId == null ? VOIDED[type.ordinal()] : new EntryRef(type, true, sideEffectId); }
}
