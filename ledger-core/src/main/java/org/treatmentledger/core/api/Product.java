package org.treatmentledger.core.api;

/** Botulinum toxin type A products. They are not unit-interchangeable: never sum units across products. */
public enum Product {
    ONABOTULINUMTOXIN_A("Botox"),
    ABOBOTULINUMTOXIN_A("Dysport"),
    INCOBOTULINUMTOXIN_A("Xeomin"),
    PRABOTULINUMTOXIN_A("Jeuveau"),
    DAXIBOTULINUMTOXIN_A("Daxxify");

    private final String brand;

    Product(String brand) { this.brand = brand; }

    public String brand() { return brand; }
}
