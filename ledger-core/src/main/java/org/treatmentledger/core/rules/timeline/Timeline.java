package org.treatmentledger.core.rules.timeline;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * The patient's treatments in timeline order ({@link TimelineEntry#ORDER}: occurredAt, then the order the ledger
 * recorded them), kept as sorted array lists so that appending at the end is O(1), a backdated insert is one array
 * copy, and every rule looks only at a bounded date window found by binary search. Voided entries are removed; an
 * amended entry is replaced and keeps its place among entries at one instant.
 */
public final class Timeline {

    private final ArrayList<DoseEntry> doses = new ArrayList<>();
    private final ArrayList<DoseEntry> initials = new ArrayList<>();
    private final ArrayList<LaserEntry> lasers = new ArrayList<>();
    /** By side effect id, in the order they were first reported (replacing one keeps its place, as in a LinkedHashMap). */
    private final Map<String, SideEffectEntry> sideEffects;
    private final HashMap<String, TimelineEntry> byId = new HashMap<>();

    public Timeline() { this(new LinkedHashMap<>()); }

    /** A timeline with these side effects (ordered as above; taken over, not copied), for a snapshot reader. */
    public Timeline(Map<String, SideEffectEntry> sideEffects) { this.sideEffects = sideEffects; }

    public List<DoseEntry> doses() { return Collections.unmodifiableList(doses); }

    public List<LaserEntry> lasers() { return Collections.unmodifiableList(lasers); }

    public List<SideEffectEntry> sideEffectList() { return List.copyOf(sideEffects.values()); }

    public TimelineEntry find(String entryId) { return byId.get(entryId); }

    public SideEffectEntry sideEffect(String sideEffectId) { return sideEffects.get(sideEffectId); }

    public void add(TimelineEntry entry) {
        if (byId.putIfAbsent(entry.entryId(), entry) != null) {
            throw new IllegalStateException("entry " + entry.entryId() + " is already on the timeline");
        }
        if (entry instanceof DoseEntry dose) {
            insertSorted(doses, dose);
            if (dose.isInitial()) insertSorted(initials, dose);
        } else if (entry instanceof LaserEntry laser) {
            insertSorted(lasers, laser);
        }
    }

    public void remove(String entryId) {
        TimelineEntry entry = byId.remove(entryId);
        if (entry instanceof DoseEntry dose) {
            removeSorted(doses, dose);
            if (dose.isInitial()) removeSorted(initials, dose);
        } else if (entry instanceof LaserEntry laser) {
            removeSorted(lasers, laser);
        }
    }

    public void putSideEffect(SideEffectEntry sideEffect) { sideEffects.put(sideEffect.sideEffectId(), sideEffect); }

    public void removeSideEffect(String sideEffectId) { sideEffects.remove(sideEffectId); }

    /** The timeline as it is. */
    public TimelineView view(ZoneId zone) { return new View(zone, null, null); }

    /** The timeline as it would be without {@code excludedEntryId} (may be null) and with {@code candidate} (may be null). */
    public TimelineView view(ZoneId zone, String excludedEntryId, TimelineEntry candidate) {
        TimelineEntry excluded = excludedEntryId == null ? null : byId.get(excludedEntryId);
        return new View(zone, excluded, candidate);
    }

    private static <T extends TimelineEntry> void insertSorted(List<T> list, T entry) {
        int size = list.size();
        if (size == 0 || TimelineEntry.ORDER.compare(list.get(size - 1), entry) < 0) {
            list.add(entry);
            return;
        }
        list.add(lowerBound(list, entry), entry);
    }

    private static <T extends TimelineEntry> void removeSorted(List<T> list, T entry) {
        int index = lowerBound(list, entry);
        if (index < list.size() && list.get(index).entryId().equals(entry.entryId())) list.remove(index);
    }

    /** First index whose element is not before {@code key} in timeline order. */
    private static int lowerBound(List<? extends TimelineEntry> list, TimelineEntry key) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (TimelineEntry.ORDER.compare(list.get(mid), key) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** First index whose element occurred at or after {@code instant}. */
    private static int lowerBound(List<? extends TimelineEntry> list, Instant instant) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).occurredAt().isBefore(instant)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Timeline other && doses.equals(other.doses) && lasers.equals(other.lasers)
                && sideEffects.equals(other.sideEffects);
    }

    @Override
    public int hashCode() { return Objects.hash(doses, lasers, sideEffects); }

    @Override
    public String toString() {
        return "Timeline[doses=" + doses.size() + ", lasers=" + lasers.size() + ", sideEffects=" + sideEffects.size() + "]";
    }

    /** A read-only overlay: the stored timeline minus one entry plus one candidate, without copying it. */
    private final class View implements TimelineView {
        private final ZoneId zone;
        private final TimelineEntry excluded;
        private final TimelineEntry candidate;

        private View(ZoneId zone, TimelineEntry excluded, TimelineEntry candidate) {
            this.zone = zone;
            this.excluded = excluded;
            this.candidate = candidate;
        }

        @Override
        public ZoneId zone() { return zone; }

        @Override
        public TimelineEntry candidate() { return candidate; }

        private boolean hidden(TimelineEntry entry) {
            return excluded != null && excluded.entryId().equals(entry.entryId());
        }

        private Instant start(LocalDate date) { return date.atStartOfDay(zone).toInstant(); }

        private <T extends TimelineEntry> List<T> range(List<T> base, Class<T> type, LocalDate from, LocalDate to) {
            Instant lo = start(from);
            Instant hi = start(to.plusDays(1));
            List<T> out = new ArrayList<>();
            for (int i = lowerBound(base, lo); i < base.size() && base.get(i).occurredAt().isBefore(hi); i++) {
                T entry = base.get(i);
                if (!hidden(entry)) out.add(entry);
            }
            if (type.isInstance(candidate) && !candidate.occurredAt().isBefore(lo) && candidate.occurredAt().isBefore(hi)) {
                out.add(type.cast(candidate));
                out.sort(TimelineEntry.ORDER);
            }
            return out;
        }

        @Override
        public List<DoseEntry> doses(LocalDate from, LocalDate to) { return range(doses, DoseEntry.class, from, to); }

        @Override
        public List<LaserEntry> lasers(LocalDate from, LocalDate to) { return range(lasers, LaserEntry.class, from, to); }

        private DoseEntry candidateInitial() {
            return candidate instanceof DoseEntry dose && dose.isInitial() ? dose : null;
        }

        @Override
        public DoseEntry cycleStart(TimelineEntry entry) {
            return entry instanceof DoseEntry dose && dose.isInitial() ? dose : previousInitial(entry);
        }

        @Override
        public int cycleNumber(TimelineEntry entry) {
            return CycleModel.number(initialsBefore(entry), entry instanceof DoseEntry dose && dose.isInitial());
        }

        @Override
        public DoseEntry previousInitial(TimelineEntry entry) {
            DoseEntry found = null;
            for (int i = lowerBound(initials, entry) - 1; i >= 0; i--) {
                DoseEntry e = initials.get(i);
                if (!hidden(e) && !e.entryId().equals(entry.entryId())) { found = e; break; }
            }
            DoseEntry cand = candidateInitial();
            if (cand != null && !cand.entryId().equals(entry.entryId()) && cand.isBefore(entry)
                    && (found == null || found.isBefore(cand))) found = cand;
            return found;
        }

        @Override
        public int initialsBefore(TimelineEntry entry) {
            int count = lowerBound(initials, entry);
            if (excluded instanceof DoseEntry ex && ex.isInitial() && ex.isBefore(entry)) count--;
            DoseEntry cand = candidateInitial();
            if (cand != null && !cand.entryId().equals(entry.entryId()) && cand.isBefore(entry)) count++;
            return count;
        }

        @Override
        public Collection<SideEffectEntry> sideEffects() { return Collections.unmodifiableCollection(sideEffects.values()); }
    }
}
