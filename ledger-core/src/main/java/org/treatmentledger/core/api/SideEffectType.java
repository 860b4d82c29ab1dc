package org.treatmentledger.core.api;

public enum SideEffectType {
    BRUISING, SWELLING, HEADACHE, HEAVY_BROW, BROW_PTOSIS, EYELID_PTOSIS, ASYMMETRY, SMILE_CHANGE,
    SPEECH_CHANGE, BLINK_CHANGE, CHEWING_CHANGE, REDNESS, PEELING, PIGMENT_CHANGE, BURN, INFECTION, OTHER;

    /** Smile or speech change: perioral function has not stabilised. */
    public boolean isPerioralFunctionChange() { return this == SMILE_CHANGE || this == SPEECH_CHANGE; }
}
