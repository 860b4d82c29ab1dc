package org.treatmentledger.core.api;

public record SiteDose(Site site, Units units) { }
