package org.treatmentledger.core.api;

public enum LaserDeviceClass {
    /** BBL / IPL. */
    BROADBAND_LIGHT,
    NON_ABLATIVE_FRACTIONAL,
    FRACTIONAL_ABLATIVE;

    /** BBL/IPL and non-ablative fractional share the "light" spacing rules. */
    public boolean isLight() { return this != FRACTIONAL_ABLATIVE; }
}
