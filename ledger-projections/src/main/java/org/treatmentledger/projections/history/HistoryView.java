package org.treatmentledger.projections.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.rules.RuleCode;

import java.time.Instant;
import java.util.List;
import java.time.LocalDate;

/**
 * GET /api/patients/{id}/history[?asOf=]: every entry in occurredAt order. With {@code asOf}, exactly what
 * had been recorded by that instant; corrections recorded later are neither listed nor applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryView(String patientId, Instant asOf, List<Entry> entries, Boolean erased) {

    public HistoryView {
        entries = List.copyOf(entries);
    }

    public HistoryView(String patientId, Instant asOf, List<Entry> entries) {
        this(patientId, asOf, entries, null);
    }

    /**
     * This view of a patient whose personal data is erased: its personal fields already read as null (their key is
     * gone); {@code erased} says so, at any asOf, since the data is gone for every past view too.
     */
    public HistoryView asErased() {
        return new HistoryView(patientId, asOf, entries, Boolean.TRUE);
    }

    /**
     * One entry. Correctable entries show their current content in {@code details} (after amends), list the
     * corrections that targeted them, and keep every earlier version in {@code superseded}. Corrections are
     * entries too (type CORRECTION, details: action, targetEntryId, reason). Overrides appear on the entry
     * they allowed: {@code override} is the first, {@code overrides} lists them all when there are several.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String entryId, EntryType type, Instant occurredAt, Instant recordedAt, String recordedBy,
                        Boolean voided, JsonNode details, List<Correction> corrections, Override override,
                        List<Override> overrides,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SupersededVersion> superseded) { }

    public record Correction(String entryId, CorrectionAction action, String reason, Instant recordedAt,
                             String recordedBy) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Override(RuleCode rule, String reason, String by, String entryId, String causeEntryId,
                           LocalDate earliestAllowed) { }

    /** A version an amend replaced: its content, when and by whom it had been recorded, and which amend replaced it. */
    public record SupersededVersion(Instant occurredAt, JsonNode details, Instant recordedAt, String recordedBy,
                                    String supersededBy, Instant supersededAt) { }
}
