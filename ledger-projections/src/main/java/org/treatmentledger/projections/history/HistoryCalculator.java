package org.treatmentledger.projections.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.ledger.LedgerEntry;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The audit timeline from a patient's ledger (already cut at asOf by {@link PatientLedger#asOf}). */
public final class HistoryCalculator {

    private static final ObjectMapper JSON = LedgerJson.objectMapper();

    public HistoryView history(String patientId, PatientLedger ledger, Instant asOf) {
        Map<String, List<HistoryView.Correction>> corrections = new HashMap<>();
        for (RecordedEvent c : ledger.corrections()) {
            String target;
            CorrectionAction action;
            String reason;
            if (c.event() instanceof EntryAmended a) {
                target = a.targetEntryId();
                action = CorrectionAction.AMEND;
                reason = a.reason();
            } else {
                EntryVoided v = (EntryVoided) c.event();
                target = v.targetEntryId();
                action = CorrectionAction.VOID;
                reason = v.reason();
            }
            corrections.computeIfAbsent(target, k -> new ArrayList<>())
                    .add(new HistoryView.Correction(c.event().entryId(), action, reason, c.recordedAt(),
                            c.recordedBy()));
        }
        Map<String, List<HistoryView.Override>> overrides = new HashMap<>();
        for (RecordedEvent o : ledger.overrides()) {
            RuleOverridden r = (RuleOverridden) o.event();
            overrides.computeIfAbsent(r.overriddenEntryId(), k -> new ArrayList<>())
                    .add(new HistoryView.Override(r.rule(), r.reason(), r.by() != null ? r.by() : o.recordedBy(),
                            r.entryId(), r.causeEntryId(), r.earliestAllowed()));
        }

        record Sortable(Instant occurredAt, long sequence, HistoryView.Entry entry) { }
        List<Sortable> rows = new ArrayList<>();
        ledger.registration().ifPresent(r -> rows.add(new Sortable(r.event().occurredAt(), r.sequence(),
                entry(r, r.event(), false, corrections, overrides, List.of()))));
        for (LedgerEntry e : ledger.entries()) {
            List<HistoryView.SupersededVersion> superseded = new ArrayList<>();
            for (LedgerEntry.Version v : e.versions()) {
                if (v.supersededBy() == null) continue;
                superseded.add(new HistoryView.SupersededVersion(v.content().occurredAt(), details(v.content()),
                        v.recordedBy().recordedAt(), v.recordedBy().recordedBy(),
                        v.supersededBy().event().entryId(), v.supersededBy().recordedAt()));
            }
            rows.add(new Sortable(e.current().occurredAt(), e.original().sequence(),
                    entry(e.original(), e.current(), e.voided(), corrections, overrides, superseded)));
        }
        ledger.erasure().ifPresent(r -> rows.add(new Sortable(r.event().occurredAt(), r.sequence(),
                entry(r, r.event(), false, corrections, overrides, List.of()))));
        for (RecordedEvent c : ledger.corrections()) {
            rows.add(new Sortable(c.event().occurredAt(), c.sequence(),
                    entry(c, c.event(), false, corrections, overrides, List.of())));
        }
        rows.sort(Comparator.comparing(Sortable::occurredAt).thenComparingLong(Sortable::sequence));
        return new HistoryView(patientId, asOf, rows.stream().map(Sortable::entry).toList());
    }

    private HistoryView.Entry entry(RecordedEvent recorded, PatientEvent current, boolean voided,
                                    Map<String, List<HistoryView.Correction>> corrections,
                                    Map<String, List<HistoryView.Override>> overrides,
                                    List<HistoryView.SupersededVersion> superseded) {
        String id = recorded.event().entryId();
        EntryType type = recorded.event().entryType();
        List<HistoryView.Override> o = overrides.getOrDefault(id, List.of());
        return new HistoryView.Entry(id, type, current.occurredAt(), recorded.recordedAt(), recorded.recordedBy(),
                type.isCorrectable() ? voided : null, details(current), corrections.getOrDefault(id, List.of()),
                o.isEmpty() ? null : o.get(0), o.size() > 1 ? o : null, superseded);
    }

    /** The event's content without the fields every entry shows at top level. */
    static ObjectNode details(PatientEvent event) {
        ObjectNode node = JSON.valueToTree(event);
        node.remove(List.of("patientId", "entryId", "occurredAt", "entryType"));
        if (event instanceof EntryAmended) {
            node.remove("replacement");
            node.put("action", CorrectionAction.AMEND.name());
        } else if (event instanceof EntryVoided) {
            node.put("action", CorrectionAction.VOID.name());
        }
        return node;
    }
}
