package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Objects;
import java.util.UUID;

/** The aggregate identifier; serialised as a plain string. */
public record PatientId(String value) {
    public PatientId {
        Objects.requireNonNull(value, "patient id");
        if (value.isBlank()) throw new IllegalArgumentException("patient id is blank");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PatientId of(String value) { return new PatientId(value); }

    public static PatientId random() { return new PatientId(UUID.randomUUID().toString()); }

    @JsonValue
    public String value() { return value; }

    /** Axon routes commands by the identifier's toString(). */
    @Override
    public String toString() { return value; }
}
