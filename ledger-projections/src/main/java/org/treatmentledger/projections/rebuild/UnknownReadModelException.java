package org.treatmentledger.projections.rebuild;

/** The name is not one of the read models' processing groups (or its processor is not a streaming one). */
public class UnknownReadModelException extends RuntimeException {
    public UnknownReadModelException(String group) {
        super("no read model named '" + group + "'");
    }
}
