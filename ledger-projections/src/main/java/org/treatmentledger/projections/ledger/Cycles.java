package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.rules.timeline.CycleModel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * A ledger's effective entries grouped into cycles by the ledger's one cycle model ({@link CycleModel}, which the
 * aggregate numbers its entries by too). The cycle numbers on the recorded events are what the aggregate said when
 * each was recorded; a later void or backdated injection can change them, so every read model uses these derived
 * numbers instead, and they agree with each other.
 */
public final class Cycles {

    private final List<Cycle> cycles;
    private final List<ClinicalEntry> beforeFirst;
    private final Map<ClinicalEntry, Integer> numbers = new IdentityHashMap<>();

    private Cycles(List<Cycle> cycles, List<ClinicalEntry> beforeFirst) {
        this.cycles = cycles;
        this.beforeFirst = beforeFirst;
        for (Cycle c : cycles) for (ClinicalEntry e : c.entries()) numbers.put(e, c.number());
    }

    public static Cycles of(PatientLedger ledger, ZoneId zone) {
        return of(ledger.effective(), zone);
    }

    /** {@code effective} must be in ledger order (occurredAt, then first recorded), as {@link PatientLedger#effective} is. */
    public static Cycles of(List<ClinicalEntry> effective, ZoneId zone) {
        int[] number = CycleModel.numbers(effective, InjectionRecorded.class::isInstance);
        List<InjectionRecorded> starts = new ArrayList<>();
        List<List<ClinicalEntry>> members = new ArrayList<>();
        List<ClinicalEntry> before = new ArrayList<>();
        for (int i = 0; i < number.length; i++) {
            ClinicalEntry entry = effective.get(i);
            if (number[i] == 0) {
                before.add(entry);
                continue;
            }
            if (number[i] > starts.size()) {
                starts.add((InjectionRecorded) entry);
                members.add(new ArrayList<>());
            }
            members.get(number[i] - 1).add(entry);
        }
        List<Cycle> cycles = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            InjectionRecorded start = starts.get(i);
            Instant next = i + 1 < starts.size() ? starts.get(i + 1).occurredAt() : null;
            LocalDate nextDate = next == null ? null : LedgerDates.date(next, zone);
            cycles.add(new Cycle(i + 1, start, LedgerDates.date(start.occurredAt(), zone), next, nextDate,
                    List.copyOf(members.get(i))));
        }
        return new Cycles(List.copyOf(cycles), List.copyOf(before));
    }

    public List<Cycle> all() { return cycles; }

    public Optional<Cycle> current() {
        return cycles.isEmpty() ? Optional.empty() : Optional.of(cycles.get(cycles.size() - 1));
    }

    /** Entries before the first initial injection (e.g. a touch-up recorded under an override). */
    public List<ClinicalEntry> beforeFirstCycle() { return beforeFirst; }

    /** The number of the cycle an entry belongs to, or 0 when it precedes the first cycle. */
    public int numberOf(ClinicalEntry entry) {
        return numbers.getOrDefault(entry, 0);
    }
}
