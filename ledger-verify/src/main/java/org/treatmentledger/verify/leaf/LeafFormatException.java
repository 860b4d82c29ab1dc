package org.treatmentledger.verify.leaf;

/** Leaf bytes or fields that are not a well-formed leaf. */
public class LeafFormatException extends IllegalArgumentException {

    public LeafFormatException(String message) {
        super(message);
    }
}
