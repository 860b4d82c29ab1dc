package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.SideEffectEntry;
import org.treatmentledger.core.rules.timeline.Timeline;
import org.treatmentledger.core.rules.timeline.TimelineEntry;
import org.treatmentledger.core.rules.timeline.TimelineView;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.treatmentledger.core.rules.RuleCode.CUMULATIVE_DOSE_CAP;
import static org.treatmentledger.core.rules.RuleCode.LASER_OVER_OPEN_BRUISE;
import static org.treatmentledger.core.rules.RuleCode.LASER_SERIES_SPACING;
import static org.treatmentledger.core.rules.RuleCode.PERIORAL_LASER_DURING_FUNCTION_CHANGE;
import static org.treatmentledger.core.rules.RuleCode.RETREATMENT_TOO_SOON;
import static org.treatmentledger.core.rules.RuleCode.TOUCH_UP_TOO_EARLY;
import static org.treatmentledger.core.rules.RuleCode.TOUCH_UP_WITHOUT_CYCLE;

/**
 * The timing rules of docs/clinical-rules.md as pure functions over a {@link TimelineView}. The waits after an
 * injection are defined in {@link LaserWait} and the touch-up and series windows in {@link TimingWindows}, which
 * the schedule reads too; the days come from {@link ClinicPolicy}.
 *
 * <p>{@link #findings} lists every timing rule one treatment (the <em>subject</em>, the later of two entries)
 * breaks against the entries before it. {@link #violations} decides on a change (a new entry, or an amend:
 * one entry removed and its replacement added): the candidate's own findings, plus the findings of entries
 * already recorded within the longest rule window after the candidate (or after the amended entry's old
 * date) that the change creates. So a backdated entry is checked against treatments recorded after it,
 * and the cost of a decision does not grow with the length of the stream.
 */
public final class TimingRules {

    private TimingRules() { }

    /**
     * One broken timing rule. {@code subject} is the entry that comes too soon; {@code causeEntryId} the entry
     * it is measured from (null where none); {@code earliest} the first date the subject would pass this rule
     * if moved (null where moving it does not help); {@code rule} the sentence that explains it.
     */
    public record Finding(RuleCode code, TimelineEntry subject, String causeEntryId, LocalDate earliest, String rule) {
        Key key() { return new Key(code, subject.entryId(), causeEntryId); }
    }

    private record Key(RuleCode code, String subjectId, String causeId) { }

    /** Every timing rule {@code subject} breaks against the entries before it in {@code view}. */
    public static List<Finding> findings(TimelineEntry subject, TimelineView view, ClinicPolicy policy) {
        List<Finding> out = new ArrayList<>();
        if (subject instanceof DoseEntry dose) {
            doseFindings(dose, view, policy, out);
        } else if (subject instanceof LaserEntry laser) {
            laserFindings(laser, view, policy, out);
        }
        return out;
    }

    private static long days(LocalDate from, LocalDate to) { return ChronoUnit.DAYS.between(from, to); }

    private static void doseFindings(DoseEntry s, TimelineView view, ClinicPolicy policy, List<Finding> out) {
        ZoneId zone = view.zone();
        LocalDate date = s.date(zone);
        if (s.isInitial()) {
            DoseEntry previous = view.previousInitial(s);
            int min = policy.minimumDays(RETREATMENT_TOO_SOON);
            if (previous != null && days(previous.date(zone), date) < min) {
                LocalDate from = previous.date(zone);
                out.add(new Finding(RETREATMENT_TOO_SOON, s, previous.entryId(), from.plusDays(min),
                        "A new initial injection must wait " + min + " days after the previous cycle's start of "
                                + from));
            }
        } else {
            DoseEntry initial = view.cycleStart(s);
            int close = policy.touchUpWindowCloseDays();
            int min = policy.minimumDays(TOUCH_UP_TOO_EARLY);
            TimingWindows.DateWindow window = initial == null ? null : TimingWindows.touchUp(initial.date(zone), policy);
            if (initial == null) {
                out.add(new Finding(TOUCH_UP_WITHOUT_CYCLE, s, null, null,
                        "A touch-up belongs to an open cycle, but no initial injection precedes " + date
                                + "; record a new initial injection instead"));
            } else {
                LocalDate start = initial.date(zone);
                long d = days(start, date);
                if (date.isAfter(window.closes())) {
                    out.add(new Finding(TOUCH_UP_WITHOUT_CYCLE, s, initial.entryId(), null,
                            "A touch-up must come within " + close + " days of its cycle's initial injection of "
                                    + start + ", and " + date + " is " + d
                                    + " days after it; record a new initial injection instead"));
                } else if (date.isBefore(window.opens())) {
                    out.add(new Finding(TOUCH_UP_TOO_EARLY, s, initial.entryId(), window.opens(),
                            "A touch-up must wait " + min + " days (the two-week review) after its cycle's initial"
                                    + " injection of " + start));
                }
            }
        }
        doseCapFindings(s, view, policy, out);
    }

    private static void doseCapFindings(DoseEntry s, TimelineView view, ClinicPolicy policy, List<Finding> out) {
        BigDecimal cap = policy.doseCaps().get(s.product());
        if (cap == null) return;
        ZoneId zone = view.zone();
        LocalDate date = s.date(zone);
        int window = policy.doseCapWindowDays();
        List<DoseEntry> earlier = new ArrayList<>();
        Units total = s.totalUnits();
        for (DoseEntry d : view.doses(date.minusDays(window - 1L), date)) {
            if (d.product() == s.product() && d.isBefore(s) && !d.entryId().equals(s.entryId())) {
                earlier.add(d);
                total = total.plus(d.totalUnits());
            }
        }
        if (total.value().compareTo(cap) <= 0) return;
        // The first date on which enough earlier units have left the 90-day window (none if this entry alone is over).
        LocalDate earliest = null;
        if (s.totalUnits().value().compareTo(cap) <= 0) {
            Units remaining = total;
            for (DoseEntry d : earlier) {
                remaining = remaining.minus(d.totalUnits());
                if (remaining.value().compareTo(cap) <= 0) {
                    earliest = d.date(zone).plusDays(window);
                    break;
                }
            }
        }
        LocalDate from = earlier.isEmpty() ? date : earlier.get(0).date(zone);
        Product product = s.product();
        String rule = "At most " + cap.toPlainString() + " U of " + product + " (" + product.brand()
                + ") may be given within " + window + " days; the entries from " + from + " to " + date
                + " total " + total;
        if (earlier.isEmpty()) {
            out.add(new Finding(CUMULATIVE_DOSE_CAP, s, null, earliest, rule));
        }
        // One finding per earlier entry in the window: adding units to a window already over the cap is a new breach.
        for (DoseEntry d : earlier) out.add(new Finding(CUMULATIVE_DOSE_CAP, s, d.entryId(), earliest, rule));
    }

    private static void laserFindings(LaserEntry s, TimelineView view, ClinicPolicy policy, List<Finding> out) {
        ZoneId zone = view.zone();
        LocalDate date = s.date(zone);
        LaserDeviceClass device = s.deviceClass();
        for (LaserWait wait : LaserWait.values()) {
            if (!wait.holdsBack(device, s.zones())) continue;
            int days = wait.days(policy);
            for (DoseEntry d : view.doses(date.minusDays(days - 1L), date)) {
                if (wait.countsFrom(d)) {
                    LocalDate injection = d.date(zone);
                    out.add(new Finding(wait.code(), s, d.entryId(), wait.earliest(injection, policy),
                            wait.rule(days, injection)));
                }
            }
        }
        if (s.seriesId() != null) {
            int spacing = policy.minimumDays(LASER_SERIES_SPACING);
            for (LaserEntry o : view.lasers(date.minusDays(spacing - 1L), date)) {
                if (o.isBefore(s) && !o.entryId().equals(s.entryId()) && s.seriesId().equals(o.seriesId())) {
                    out.add(new Finding(LASER_SERIES_SPACING, s, o.entryId(),
                            TimingWindows.nextSeriesSession(o.date(zone), policy).opens(),
                            "Sessions of laser series " + s.seriesId() + " must be at least " + spacing
                                    + " days apart; the previous session was on " + o.date(zone)));
                }
            }
        }
        boolean ablative = device == LaserDeviceClass.FRACTIONAL_ABLATIVE;
        boolean perioral = Zone.covers(s.zones(), Zone.PERIORAL);
        if (!ablative && !perioral) return;
        for (SideEffectEntry e : view.sideEffects()) {
            if (!e.isOpenOn(date, zone)) continue;
            LocalDate onset = e.onset().atZone(zone).toLocalDate();
            LocalDate resolved = e.resolutionDate(zone);
            String state = resolved == null ? "is still open" : "was open until its resolution on " + resolved;
            if (ablative && e.type() == SideEffectType.BRUISING && e.zone() != null
                    && Zone.anyOverlap(s.zones(), List.of(e.zone()))) {
                out.add(new Finding(LASER_OVER_OPEN_BRUISE, s, e.entryId(), resolved,
                        "No fractional ablative laser session while a bruise in a treated zone is unresolved: the"
                                + " bruise (" + e.zone() + ") reported on " + onset + " " + state));
            }
            if (perioral && e.type().isPerioralFunctionChange()) {
                out.add(new Finding(PERIORAL_LASER_DURING_FUNCTION_CHANGE, s, e.entryId(), resolved,
                        "No laser session in the perioral zone while a smile or speech change is unresolved: the "
                                + e.type() + " reported on " + onset + " " + state));
            }
        }
    }

    /** The longest distance, in days, over which one entry can affect the timing rules of a later one. */
    static int horizonDays(ClinicPolicy policy) {
        int horizon = Math.max(policy.doseCapWindowDays(), policy.touchUpWindowCloseDays() + 1);
        for (int days : policy.minimumDays().values()) horizon = Math.max(horizon, days);
        return horizon;
    }

    /**
     * The timing violations of recording {@code candidate} on {@code timeline}, after removing
     * {@code excludedEntryId} (an amend's target; null for a new entry). Every violation of the candidate
     * counts; for entries already recorded, only the violations the change creates.
     */
    public static List<Violation> violations(Timeline timeline, String excludedEntryId, TimelineEntry candidate,
                                             ClinicPolicy policy) {
        ZoneId zone = policy.zone();
        TimelineView before = timeline.view(zone);
        TimelineView after = timeline.view(zone, excludedEntryId, candidate);
        int horizon = horizonDays(policy);

        Map<String, TimelineEntry> subjects = new LinkedHashMap<>();
        subjects.put(candidate.entryId(), candidate);
        List<LocalDate> anchors = new ArrayList<>();
        anchors.add(candidate.date(zone));
        TimelineEntry excluded = excludedEntryId == null ? null : timeline.find(excludedEntryId);
        if (excluded != null) anchors.add(excluded.date(zone));
        for (LocalDate anchor : anchors) {
            for (TimelineEntry e : after.doses(anchor, anchor.plusDays(horizon))) subjects.putIfAbsent(e.entryId(), e);
            for (TimelineEntry e : after.lasers(anchor, anchor.plusDays(horizon))) subjects.putIfAbsent(e.entryId(), e);
        }

        List<Finding> fresh = new ArrayList<>(findings(candidate, after, policy));
        for (TimelineEntry subject : subjects.values()) {
            if (subject == candidate) continue;
            Set<Key> existing = new HashSet<>();
            for (Finding f : findings(subject, before, policy)) existing.add(f.key());
            for (Finding f : findings(subject, after, policy)) {
                if (!existing.contains(f.key())) fresh.add(f);
            }
        }
        return collapse(fresh, candidate, zone);
    }

    /** One violation per rule and subject: the binding one (the latest earliest date; none if any has none). */
    private static List<Violation> collapse(List<Finding> findings, TimelineEntry candidate, ZoneId zone) {
        Map<List<Object>, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : findings) {
            groups.computeIfAbsent(List.of(f.code(), f.subject().entryId()), k -> new ArrayList<>()).add(f);
        }
        List<Violation> out = new ArrayList<>();
        for (List<Finding> group : groups.values()) {
            Finding binding = group.get(0);
            boolean own = binding.subject().entryId().equals(candidate.entryId());
            for (Finding f : group) {
                if (own) {
                    if (binding.earliest() == null) break;
                    if (f.earliest() == null || f.earliest().isAfter(binding.earliest())) binding = f;
                } else if (candidate.entryId().equals(f.causeEntryId())) {
                    // An entry recorded later is disturbed: name the candidate as the cause where it is one.
                    binding = f;
                    break;
                }
            }
            if (own) {
                String detail = binding.rule() + (binding.earliest() == null ? "." : "; earliest " + binding.earliest() + ".");
                out.add(new Violation(binding.code(), detail, binding.earliest(), candidate.entryId(),
                        binding.causeEntryId()));
            } else {
                TimelineEntry s = binding.subject();
                String detail = binding.rule() + ": the " + kind(s) + " already recorded on " + s.date(zone)
                        + " (entry " + s.entryId() + ") would break this rule.";
                // Moving a backdated entry does not make a clinical fact earlier or later: no earliest date.
                out.add(new Violation(binding.code(), detail, null, s.entryId(), binding.causeEntryId()));
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static String kind(TimelineEntry entry) {
        if (entry instanceof DoseEntry dose) return dose.touchUp() ? "touch-up" : "initial injection";
        return "laser session";
    }

    /**
     * The first date on which the candidate would pass every timing rule: move it to the latest earliest
     * date of its violations and decide again, a few rounds. Null where a violation gives no date.
     */
    public static LocalDate earliestAllowed(Timeline timeline, String excludedEntryId, TimelineEntry candidate,
                                            List<Violation> violations, ClinicPolicy policy) {
        ZoneId zone = policy.zone();
        List<Violation> current = violations;
        TimelineEntry moved = candidate;
        for (int round = 0; round < 6; round++) {
            if (current.isEmpty()) return moved.date(zone);
            LocalDate target = null;
            for (Violation v : current) {
                if (v.earliestAllowed() == null) return null;
                if (target == null || v.earliestAllowed().isAfter(target)) target = v.earliestAllowed();
            }
            LocalDate date = moved.date(zone);
            if (!target.isAfter(date)) return null;
            moved = moved.at(moved.occurredAt().atZone(zone).plusDays(days(date, target)).toInstant());
            current = violations(timeline, excludedEntryId, moved, policy);
        }
        return current.isEmpty() ? moved.date(zone) : null;
    }
}
