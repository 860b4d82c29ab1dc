package org.treatmentledger.api.ui;

import org.springframework.web.util.HtmlUtils;
import org.treatmentledger.projections.durability.DurabilityView;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Server-rendered SVG charts: no script, no inline style (the pages' Content-Security-Policy forbids both), only
 * presentation attributes and the stylesheet's classes. Each chart has a title and a description for screen
 * readers, and the pages show the same numbers in a table next to it.
 */
final class Charts {

    private Charts() { }

    /** The rolling 90 days' units per product as bars against the product's cap (a line), when it has one. */
    static String rollingAgainstCap(List<UnitHistoryView.ProductUnits> products) {
        int rowHeight = 34;
        int height = Math.max(1, products.size()) * rowHeight + 30;
        double max = 1;
        for (UnitHistoryView.ProductUnits p : products) {
            max = Math.max(max, p.units().value().doubleValue());
            if (p.cap() != null) max = Math.max(max, p.cap().value().doubleValue());
        }
        double scale = 420 / (max * 1.1);
        StringBuilder svg = open(640, height, "Rolling 90 days against the cap",
                "Units given in the last 90 days per product; the dark line marks the product's cap");
        int y = 10;
        for (UnitHistoryView.ProductUnits p : products) {
            double units = p.units().value().doubleValue();
            boolean over = p.cap() != null && p.units().compareTo(p.cap()) > 0;
            svg.append(text(4, y + 20, p.product().name(), "chart-label"));
            svg.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"200\" y=\"%d\" width=\"%.1f\" height=\"22\"/>",
                    over ? "bar bar-over" : "bar", y + 4, Math.max(1, units * scale)));
            String label = plain(p.units().value()) + " U" + (p.cap() != null ? " of " + plain(p.cap().value()) + " U cap" : "");
            svg.append(text(200 + Math.max(1, units * scale) + 6, y + 20, label, "chart-value"));
            if (p.cap() != null) {
                double x = 200 + p.cap().value().doubleValue() * scale;
                svg.append(String.format(Locale.ROOT, "<line class=\"cap\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
                        x, x, y, y + 30));
            }
            y += rowHeight;
        }
        return svg.append("</svg>").toString();
    }

    /** Durability per group: a box from the first to the third quartile, a mark at the median, in days. */
    static String durability(String title, List<DurabilityView.Group> groups, List<String> labels) {
        int rowHeight = 30;
        int height = Math.max(1, groups.size()) * rowHeight + 50;
        double max = 30;
        for (DurabilityView.Group g : groups) max = Math.max(max, g.p75Days());
        double scale = 380 / (max * 1.1);
        StringBuilder svg = open(720, height, title, "Median and quartiles of days until movement returned, per group");
        int y = 10;
        for (int i = 0; i < groups.size(); i++) {
            DurabilityView.Group g = groups.get(i);
            svg.append(text(4, y + 18, labels.get(i), "chart-label"));
            double x25 = 260 + g.p25Days() * scale;
            double x75 = 260 + g.p75Days() * scale;
            double xm = 260 + g.medianDays() * scale;
            svg.append(String.format(Locale.ROOT, "<rect class=\"box\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\"/>",
                    x25, y + 4, Math.max(1, x75 - x25)));
            svg.append(String.format(Locale.ROOT, "<line class=\"median\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
                    xm, xm, y + 2, y + 26));
            svg.append(text(x75 + 6, y + 18, String.format(Locale.ROOT, "median %.0f d (%.0f-%.0f), n=%d",
                    g.medianDays(), g.p25Days(), g.p75Days(), g.cycles()), "chart-value"));
            y += rowHeight;
        }
        // The axis: days from 0 to the largest third quartile.
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"260\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>",
                260 + max * scale, y + 4, y + 4));
        for (int d = 0; d <= max; d += tick(max)) {
            double x = 260 + d * scale;
            svg.append(text(x - 6, y + 22, d + "", "chart-tick"));
        }
        return svg.append("</svg>").toString();
    }

    private static int tick(double max) {
        return max > 300 ? 100 : max > 120 ? 30 : 10;
    }

    private static StringBuilder open(int width, int height, String title, String description) {
        String id = "chart" + Integer.toHexString(title.hashCode());
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" role=\"img\" aria-labelledby=\"%s-t %s-d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">"
                        + "<title id=\"%s-t\">%s</title><desc id=\"%s-d\">%s</desc>",
                id, id, width, height, id, HtmlUtils.htmlEscape(title), id, HtmlUtils.htmlEscape(description)));
    }

    private static String text(double x, double y, String content, String cssClass) {
        return String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>", cssClass, x, y,
                HtmlUtils.htmlEscape(content));
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
