package org.treatmentledger.core.api;

/** What durability analytics may group by ({@code groupBy=product,site,...}). */
public enum DurabilityDimension { PRODUCT, SITE, DOSE_BAND, INTENT, LASER_CO_TREATMENT }
