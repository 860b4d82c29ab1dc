package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.math.BigDecimal;
import java.util.Objects;

/** Units of one product. Decimal because half units (2.5 U) are common; serialised as a plain number. */
public record Units(BigDecimal value) implements Comparable<Units> {
    public static final Units ZERO = new Units(BigDecimal.ZERO);

    public Units {
        Objects.requireNonNull(value, "units");
        // Bound before normalising: 1e999999999 would overflow setScale and 1e-999999999 would poison every sum.
        if (value.precision() - value.scale() > 9 || value.scale() > 6) {
            throw new IllegalArgumentException("units out of range: at most 9 integer digits and 6 decimals");
        }
        value = value.stripTrailingZeros();
        if (value.scale() < 0) value = value.setScale(0);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Units of(BigDecimal value) { return new Units(value); }

    public static Units of(double value) { return new Units(BigDecimal.valueOf(value)); }

    @JsonValue
    public BigDecimal value() { return value; }

    public Units plus(Units other) { return new Units(value.add(other.value)); }

    public Units minus(Units other) { return new Units(value.subtract(other.value)); }

    public boolean isPositive() { return value.signum() > 0; }

    @Override
    public int compareTo(Units o) { return value.compareTo(o.value); }

    @Override
    public String toString() { return value.toPlainString() + " U"; }
}
