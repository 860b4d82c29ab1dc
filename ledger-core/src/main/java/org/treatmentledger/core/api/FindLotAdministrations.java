package org.treatmentledger.core.api;

/** Lot recall: who received a lot, when, how many units. */
public record FindLotAdministrations(String lotNumber) { }
