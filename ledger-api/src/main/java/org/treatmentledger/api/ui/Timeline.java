package org.treatmentledger.api.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.projections.history.HistoryView;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patient's history as the pages show it: entries in clinical order (the history read model's order), each with
 * its details as readable lines, its advisories, corrections and overrides; and the side effects still open.
 */
public final class Timeline {

    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    public record Row(String entryId, String type, String occurredAt, String recordedAt, String recordedBy, boolean voided,
               List<String> details, List<String> advisories, List<String> corrections, List<String> overrides,
               int superseded) { }

    public record OpenSideEffect(String sideEffectId, String entryId, String since, String summary) { }

    private Timeline() { }

    static String time(Instant instant, ZoneId zone) {
        return instant == null ? "" : DAY_TIME.format(instant.atZone(zone));
    }

    static List<Row> rows(HistoryView history, ZoneId zone) {
        List<Row> rows = new ArrayList<>();
        for (HistoryView.Entry e : history.entries()) {
            List<String> advisories = new ArrayList<>();
            JsonNode details = e.details();
            if (details != null && details.has("advisories")) {
                for (JsonNode a : details.get("advisories")) {
                    advisories.add(a.path("code").asText() + ": " + a.path("detail").asText());
                }
            }
            List<String> corrections = new ArrayList<>();
            if (e.corrections() != null) {
                for (HistoryView.Correction c : e.corrections()) {
                    corrections.add(c.action() + " by " + c.recordedBy() + " at " + time(c.recordedAt(), zone) + ": " + c.reason());
                }
            }
            List<String> overrides = new ArrayList<>();
            List<HistoryView.Override> all = e.overrides() != null ? e.overrides()
                    : e.override() != null ? List.of(e.override()) : List.of();
            for (HistoryView.Override o : all) {
                overrides.add(o.rule() + " overridden by " + o.by() + (o.earliestAllowed() != null
                        ? " (earliest allowed " + o.earliestAllowed() + ")" : "") + ": " + o.reason());
            }
            rows.add(new Row(e.entryId(), label(e.type()), time(e.occurredAt(), zone), time(e.recordedAt(), zone),
                    e.recordedBy(), Boolean.TRUE.equals(e.voided()), lines(details), advisories, corrections, overrides,
                    e.superseded() == null ? 0 : e.superseded().size()));
        }
        return rows;
    }

    static List<OpenSideEffect> openSideEffects(HistoryView history, ZoneId zone) {
        Map<String, OpenSideEffect> open = new LinkedHashMap<>();
        Set<String> resolved = new HashSet<>();
        for (HistoryView.Entry e : history.entries()) {
            if (Boolean.TRUE.equals(e.voided()) || e.details() == null) continue;
            String id = e.details().path("sideEffectId").asText(null);
            if (id == null) continue;
            if (e.type() == EntryType.SIDE_EFFECT_REPORTED) {
                open.put(id, new OpenSideEffect(id, e.entryId(), time(e.occurredAt(), zone),
                        e.details().path("type").asText() + ", " + e.details().path("severity").asText() + ", "
                                + e.details().path("zone").asText()));
            } else if (e.type() == EntryType.SIDE_EFFECT_RESOLVED) {
                resolved.add(id);
            }
        }
        resolved.forEach(open::remove);
        return List.copyOf(open.values());
    }

    static String label(EntryType type) {
        String s = type.name().replace('_', ' ').toLowerCase();
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The details as "field: value" lines; nested objects and lists flattened, advisories left to their own list. */
    static List<String> lines(JsonNode details) {
        List<String> lines = new ArrayList<>();
        if (details == null || !details.isObject()) return lines;
        Iterator<Map.Entry<String, JsonNode>> fields = details.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("advisories") || f.getValue().isNull()) continue;
            lines.add(f.getKey() + ": " + flat(f.getValue()));
        }
        return lines;
    }

    private static String flat(JsonNode node) {
        if (node.isValueNode()) return node.asText();
        List<String> parts = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> parts.add(flat(n)));
            return String.join("; ", parts);
        }
        // Site doses read best as "GLABELLA 12 U".
        if (node.has("site") && node.has("units") && node.size() == 2) {
            return node.get("site").asText() + " " + node.get("units").asText() + " U";
        }
        node.fields().forEachRemaining(f -> parts.add(f.getKey() + " " + flat(f.getValue())));
        return String.join(", ", parts);
    }
}
