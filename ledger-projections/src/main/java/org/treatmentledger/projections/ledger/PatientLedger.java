package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.rules.Corrections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A patient's ledger folded from the recorded events, with corrections applied as {@link Corrections} decides
 * for the aggregate too: a voided entry stops counting, an amended entry counts with its replacement's values
 * (the latest amend wins), and both stay visible in {@link #entries()}. Pure: every read model builds one and derives its view from it.
 *
 * <p>Events are applied in stream order (aggregate sequence number). With {@link #asOf}, only events recorded
 * by that instant are applied, so a correction recorded later is neither shown nor applied.
 */
public final class PatientLedger {

    private final List<RecordedEvent> events;
    private final RecordedEvent registration;
    private final RecordedEvent erasure;
    private final Map<String, LedgerEntry> entries;
    private final List<RecordedEvent> corrections;
    private final List<RecordedEvent> overrides;

    private PatientLedger(List<RecordedEvent> events) {
        this.events = events;
        RecordedEvent reg = null;
        RecordedEvent erased = null;
        Map<String, MutableEntry> byId = new LinkedHashMap<>();
        List<RecordedEvent> corr = new ArrayList<>();
        List<RecordedEvent> ovr = new ArrayList<>();
        for (RecordedEvent recorded : events) {
            PatientEvent event = recorded.event();
            if (event instanceof PatientRegistered) {
                if (reg == null) reg = recorded;
            } else if (event instanceof ClinicalEntry e) {
                byId.putIfAbsent(e.entryId(), new MutableEntry(recorded, e));
            } else if (event instanceof EntryAmended || event instanceof EntryVoided) {
                corr.add(recorded);
                Corrections.apply(event, new Versions(byId, recorded));
            } else if (event instanceof RuleOverridden) {
                ovr.add(recorded);
            } else if (event instanceof PatientErased) {
                if (erased == null) erased = recorded;
            }
        }
        this.registration = reg;
        this.erasure = erased;
        Map<String, LedgerEntry> done = new LinkedHashMap<>();
        byId.forEach((id, m) -> done.put(id, m.freeze()));
        this.entries = done;
        this.corrections = List.copyOf(corr);
        this.overrides = List.copyOf(ovr);
    }

    /** Everything recorded. */
    public static PatientLedger of(Collection<RecordedEvent> events) {
        return asOf(events, null);
    }

    /** What had been recorded by {@code asOf} (recordedAt at or before it); null means everything. */
    public static PatientLedger asOf(Collection<RecordedEvent> events, Instant asOf) {
        List<RecordedEvent> sorted = events.stream()
                .filter(e -> asOf == null || !e.recordedAt().isAfter(asOf))
                .sorted(Comparator.comparingLong(RecordedEvent::sequence))
                .toList();
        return new PatientLedger(sorted);
    }

    public boolean isKnown() { return registration != null; }

    public Optional<RecordedEvent> registration() { return Optional.ofNullable(registration); }

    /** The erasure of the patient's personal data, when it is part of this ledger. */
    public Optional<RecordedEvent> erasure() { return Optional.ofNullable(erasure); }

    /** Every recorded event applied, in stream order. */
    public List<RecordedEvent> events() { return events; }

    /** Every correctable entry, voided or not, in the order first recorded. */
    public Collection<LedgerEntry> entries() { return entries.values(); }

    public Optional<LedgerEntry> entry(String entryId) { return Optional.ofNullable(entries.get(entryId)); }

    /** Amend and void events in stream order. */
    public List<RecordedEvent> corrections() { return corrections; }

    /** Override events in stream order. */
    public List<RecordedEvent> overrides() { return overrides; }

    /**
     * What counts: the current content of every entry that is not voided, in occurredAt order (ties in the
     * order first recorded).
     */
    public List<ClinicalEntry> effective() {
        return entries.values().stream()
                .filter(LedgerEntry::counts)
                .sorted(Comparator.comparing((LedgerEntry e) -> e.current().occurredAt())
                        .thenComparingLong(e -> e.original().sequence()))
                .map(LedgerEntry::current)
                .toList();
    }

    public <T extends ClinicalEntry> List<T> effective(Class<T> type) {
        return effective().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The read side's state under {@link Corrections} (the decision the aggregate makes too): every version kept. */
    private record Versions(Map<String, MutableEntry> byId, RecordedEvent correction) implements Corrections.Target {
        @Override
        public EntryType typeOf(String entryId) {
            MutableEntry entry = byId.get(entryId);
            return entry == null ? null : entry.original.event().entryType();
        }

        @Override
        public boolean isVoided(String entryId) { return byId.get(entryId).voided; }

        @Override
        public void amend(EntryAmended amend) { byId.get(amend.targetEntryId()).amend(correction, amend); }

        @Override
        public void voidEntry(EntryVoided voided, EntryType type) { byId.get(voided.targetEntryId()).voided = true; }
    }

    private static final class MutableEntry {
        final RecordedEvent original;
        final List<ClinicalEntry> contents = new ArrayList<>();
        final List<RecordedEvent> recordedBy = new ArrayList<>();
        final List<RecordedEvent> supersededBy = new ArrayList<>();
        boolean voided;

        MutableEntry(RecordedEvent original, ClinicalEntry content) {
            this.original = original;
            contents.add(content);
            recordedBy.add(original);
        }

        void amend(RecordedEvent amendEvent, EntryAmended amend) {
            supersededBy.add(amendEvent);
            contents.add(amend.replacement());
            recordedBy.add(amendEvent);
        }

        LedgerEntry freeze() {
            List<LedgerEntry.Version> versions = new ArrayList<>();
            for (int i = 0; i < contents.size(); i++) {
                versions.add(new LedgerEntry.Version(contents.get(i), recordedBy.get(i),
                        i < supersededBy.size() ? supersededBy.get(i) : null));
            }
            return new LedgerEntry(original, contents.get(contents.size() - 1), voided, List.copyOf(versions));
        }
    }
}
