package org.treatmentledger.core.rules;

/**
 * The stable rule codes of docs/clinical-rules.md, used in refusals, metrics, tests and docs. TIMING rules may
 * be overridden by a clinician; INTEGRITY rules may not; ADVISORY codes never refuse. LEDGER codes are
 * the ledger's own state conflicts (not clinical rules) and cannot be overridden either.
 */
public enum RuleCode {
    // Timing rules (409, overridable)
    LASER_AFTER_TOXIN_LIGHT(Kind.TIMING),
    LASER_AFTER_TOUCH_UP(Kind.TIMING),
    LASER_AFTER_TOXIN_ABLATIVE(Kind.TIMING),
    LASER_AFTER_PERIOCULAR_TOXIN(Kind.TIMING),
    LASER_NECK_AFTER_PLATYSMA(Kind.TIMING),
    LASER_SERIES_SPACING(Kind.TIMING),
    LASER_OVER_OPEN_BRUISE(Kind.TIMING),
    PERIORAL_LASER_DURING_FUNCTION_CHANGE(Kind.TIMING),
    TOUCH_UP_TOO_EARLY(Kind.TIMING),
    TOUCH_UP_WITHOUT_CYCLE(Kind.TIMING),
    RETREATMENT_TOO_SOON(Kind.TIMING),
    CUMULATIVE_DOSE_CAP(Kind.TIMING),

    // Integrity rules (422, never overridable)
    FUTURE_EVENT(Kind.INTEGRITY),
    BEFORE_REGISTRATION(Kind.INTEGRITY),
    EXPIRED_LOT(Kind.INTEGRITY),
    INVALID_UNITS(Kind.INTEGRITY),

    // Advisories (recorded on the accepted event, never refused)
    DOSE_ABOVE_TYPICAL(Kind.ADVISORY),
    FOREHEAD_WITHOUT_GLABELLA(Kind.ADVISORY),
    RETINOID_PAUSE(Kind.ADVISORY),
    FIRST_TIMER_LIGHT_DOSE(Kind.ADVISORY),

    // The ledger's own conflicts: 409 for state, 422 for content, 404 for a missing entry
    PATIENT_ALREADY_REGISTERED(Kind.LEDGER_STATE),
    ENTRY_ALREADY_VOIDED(Kind.LEDGER_STATE),
    SIDE_EFFECT_ALREADY_RESOLVED(Kind.LEDGER_STATE),
    ENTRY_NOT_FOUND(Kind.LEDGER_NOT_FOUND),
    NOT_CORRECTABLE(Kind.LEDGER_INVALID),
    AMEND_TYPE_MISMATCH(Kind.LEDGER_INVALID),
    RESOLUTION_BEFORE_ONSET(Kind.LEDGER_INVALID),
    DUPLICATE_ENTRY_ID(Kind.LEDGER_STATE),
    // Erasure: a patient is erased once; an erased patient's ledger takes no new entries (its key is gone)
    ALREADY_ERASED(Kind.LEDGER_STATE),
    PATIENT_ERASED(Kind.LEDGER_STATE),
    // Personal values stored in clear by a version before encryption: they cannot be shredded
    PLAINTEXT_NOT_ERASABLE(Kind.LEDGER_STATE);

    public enum Kind { TIMING, INTEGRITY, ADVISORY, LEDGER_STATE, LEDGER_INVALID, LEDGER_NOT_FOUND }

    private final Kind kind;

    RuleCode(Kind kind) { this.kind = kind; }

    public Kind kind() { return kind; }

    public boolean isOverridable() { return kind == Kind.TIMING; }
}
