package org.treatmentledger.core.api;

/** The kinds of entry on a patient's timeline, as named in the history read model. */
public enum EntryType {
    REGISTRATION, INJECTION, TOUCH_UP, LASER_SESSION, PHOTO_CHECKPOINT, SIDE_EFFECT_REPORTED,
    SIDE_EFFECT_RESOLVED, CYCLE_FACTOR, MOVEMENT_RETURN, CORRECTION, OVERRIDE, ERASURE;

    /** Entries a correction may amend or void. */
    public boolean isCorrectable() {
        return this != REGISTRATION && this != CORRECTION && this != OVERRIDE && this != ERASURE;
    }
}
