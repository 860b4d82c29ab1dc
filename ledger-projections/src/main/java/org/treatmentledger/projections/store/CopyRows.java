package org.treatmentledger.projections.store;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Rows written with PostgreSQL's {@code COPY ... FROM STDIN} (text format) instead of INSERT statements: the
 * bulk rebuild writes hundreds of thousands of derived rows, and COPY does not parse and plan a statement per
 * hundred rows. Runs on the connection of the current transaction, like any JdbcTemplate call.
 * Values may be null, String, Number, Boolean or Instant; anything else is refused rather than guessed.
 */
public final class CopyRows {

    private final StringBuilder text = new StringBuilder();
    private int rows;

    /** Appends one row, its values in the order of the columns given to {@link #copyInto}. */
    public CopyRows add(Object[] values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) text.append('\t');
            append(values[i]);
        }
        text.append('\n');
        rows++;
        return this;
    }

    public int size() { return rows; }

    /**
     * Copies the rows into {@code table}'s {@code columns}; returns the rows PostgreSQL reports copied.
     * PostgreSQL refuses COPY FROM into a table whose row-level security applies to the current role (production's
     * service role, docs/OPERATIONS.md): then the rows are copied into a temporary table and moved with one INSERT,
     * which the policies check like any other.
     */
    public long copyInto(JdbcTemplate jdbc, String table, List<String> columns) {
        if (rows == 0) return 0;
        String list = String.join(", ", columns);
        if (Boolean.TRUE.equals(jdbc.queryForObject("SELECT row_security_active(?::regclass)", Boolean.class, table))) {
            String staging = "copy_rows_" + table;
            // The copied columns only, with their types and no constraints; kept by the session, emptied at commit.
            jdbc.execute("CREATE TEMP TABLE IF NOT EXISTS " + staging + " ON COMMIT DELETE ROWS AS SELECT " + list
                    + " FROM " + table + " WITH NO DATA");
            copyIn(jdbc, "COPY " + staging + " (" + list + ") FROM STDIN");
            int moved = jdbc.update("INSERT INTO " + table + " (" + list + ") SELECT " + list + " FROM " + staging);
            jdbc.execute("TRUNCATE " + staging);
            return moved;
        }
        return copyIn(jdbc, "COPY " + table + " (" + list + ") FROM STDIN");
    }

    private long copyIn(JdbcTemplate jdbc, String sql) {
        Long copied = jdbc.execute((ConnectionCallback<Long>) c -> {
            try {
                return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, new StringReader(text.toString()));
            } catch (IOException e) { // from a StringReader: cannot happen
                throw new UncheckedIOException(e);
            }
        });
        return copied == null ? 0 : copied;
    }

    /** The value in COPY's text format: \N for null, and backslash, tab, newline and carriage return escaped. */
    private void append(Object value) {
        String s;
        if (value == null) {
            text.append("\\N");
            return;
        } else if (value instanceof String v) {
            s = v;
        } else if (value instanceof Boolean b) {
            s = b ? "t" : "f";
        } else if (value instanceof Number n) {
            s = n.toString();
        } else if (value instanceof Instant i) {
            s = i.toString(); // ISO-8601 in UTC, read exactly by timestamptz
        } else {
            throw new IllegalArgumentException("no COPY text form for " + value.getClass().getName());
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
