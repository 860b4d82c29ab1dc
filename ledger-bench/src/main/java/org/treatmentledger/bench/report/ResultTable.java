package org.treatmentledger.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result rows as a fixed-width text table for the console. */
public final class ResultTable {

    static final String[] HEADER = {"workload", "clients", "metric", "unit", "ours", "peer", "limit",
            "x limit", "x peer", "met", "target"};

    private ResultTable() { }

    public static String format(List<WorkloadResult> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        for (WorkloadResult r : rows) {
            cells.add(new String[]{r.name(), r.clients() == null ? "-" : r.clients().toString(), r.metric(), r.unit(),
                    number(r.ours()), number(r.peer()), number(r.limit()), ratio(r.ratioToLimit()),
                    ratio(r.ratioToPeer()), r.met() == null ? "-" : (r.met() ? "yes" : "NO"),
                    r.target() == null ? "none (reported)" : r.target()});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            String[] row = cells.get(n);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) line.append(" | ");
                boolean numeric = i >= 4 && i <= 8;
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                // The last column is not padded: no trailing blanks.
                line.append(numeric ? pad + cell : (i == row.length - 1 ? cell : cell + pad));
            }
            out.append(line).append('\n');
            if (n == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < widths.length; i++) {
                    if (i > 0) rule.append("-+-");
                    rule.append("-".repeat(widths[i]));
                }
                out.append(rule).append('\n');
            }
        }
        return out.toString();
    }

    /** Three significant digits for small numbers, whole numbers from 1000 on. */
    static String number(Double v) {
        if (v == null) return "-";
        double a = Math.abs(v);
        if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.1f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String ratio(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }
}
