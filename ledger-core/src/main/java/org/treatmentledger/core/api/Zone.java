package org.treatmentledger.core.api;

import java.util.Collection;

/** An area a laser treats or a side effect affects. FULL_FACE covers every facial zone; NECK is separate. */
public enum Zone {
    FOREHEAD, PERIOCULAR, CHEEKS, NOSE, PERIORAL, CHIN, JAWLINE, NECK, FULL_FACE;

    public boolean isFacial() { return this != NECK; }

    /** True when the two zones share skin: equal, or one is FULL_FACE and the other facial. */
    public boolean overlaps(Zone other) {
        if (this == other) return true;
        if (this == FULL_FACE) return other.isFacial();
        if (other == FULL_FACE) return this.isFacial();
        return false;
    }

    public static boolean anyOverlap(Collection<Zone> a, Collection<Zone> b) {
        for (Zone x : a) for (Zone y : b) if (x.overlaps(y)) return true;
        return false;
    }

    public static boolean covers(Collection<Zone> zones, Zone target) {
        for (Zone z : zones) if (z.overlaps(target)) return true;
        return false;
    }
}
