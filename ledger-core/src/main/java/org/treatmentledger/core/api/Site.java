package org.treatmentledger.core.api;

/** Anatomical injection targets, each mapped to the zone it lies in (docs/clinical-rules.md, Vocabulary). */
public enum Site {
    GLABELLA(Zone.FOREHEAD),
    FOREHEAD(Zone.FOREHEAD),
    CROWS_FEET_LEFT(Zone.PERIOCULAR),
    CROWS_FEET_RIGHT(Zone.PERIOCULAR),
    LATERAL_BROW_LEFT(Zone.PERIOCULAR),
    LATERAL_BROW_RIGHT(Zone.PERIOCULAR),
    UPPER_EYELID(Zone.PERIOCULAR),
    BUNNY_LINES(Zone.PERIORAL),
    NOSE_TIP(Zone.PERIORAL),
    LIP_LINES(Zone.PERIORAL),
    DAO_LEFT(Zone.PERIORAL),
    DAO_RIGHT(Zone.PERIORAL),
    CHIN(Zone.PERIORAL),
    MASSETER_LEFT(Zone.JAWLINE),
    MASSETER_RIGHT(Zone.JAWLINE),
    PLATYSMA(Zone.NECK),
    TRAPEZIUS(null),
    OTHER(null);

    private final Zone zone;

    Site(Zone zone) { this.zone = zone; }

    /** The zone this site lies in, or null where it is outside the face and neck or unknown. */
    public Zone zone() { return zone; }

    public boolean isPeriocular() { return zone == Zone.PERIOCULAR; }
}
