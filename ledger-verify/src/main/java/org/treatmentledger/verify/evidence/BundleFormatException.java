package org.treatmentledger.verify.evidence;

/** A bundle, proof or checkpoint document that is not of the documented JSON shape. */
public class BundleFormatException extends IllegalArgumentException {

    public BundleFormatException(String message) {
        super(message);
    }
}
