package org.treatmentledger.projections.schedule;

import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.LaserWait;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.TimingWindows;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.projections.ledger.Cycle;
import org.treatmentledger.projections.ledger.Cycles;
import org.treatmentledger.projections.ledger.ExpectedInterval;
import org.treatmentledger.projections.ledger.PatientLedger;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Derives the maintenance schedule from a patient's effective ledger (corrections applied). Cycle-bound items
 * are for the current (latest) cycle only: the schedule looks forward. Statuses are relative to
 * {@code today}. What DONE means per kind:
 * <ul>
 *   <li>TWO_WEEK_REVIEW (start +14, window to +21): a touch-up in the cycle, or a POST_INJECTION_REVIEW photo
 *       in the cycle dated on or after the due date.</li>
 *   <li>TOUCH_UP_WINDOW ({@link TimingWindows#touchUp}, the guard's window): a touch-up in the cycle. OVERDUE
 *       means the window closed without one.</li>
 *   <li>EARLIEST_LASER, one per device class: the first day past every {@link LaserWait} that holds that class
 *       back, each from the latest injection it counts from (the guard's definition, so the schedule never offers
 *       a day the guard refuses); {@code neckDue} when LASER_NECK_AFTER_PLATYSMA pushes neck sessions later. The
 *       window ends with the next neuromodulator's due date. DONE: a session of that class recorded in the cycle
 *       on or after the due date.</li>
 *   <li>NEXT_NEUROMODULATOR: cycle start + {@link ExpectedInterval}, window nextNeuromodulatorWindowDays. Never
 *       DONE: the next injection opens a new cycle and the item moves on to it.</li>
 *   <li>LASER_SERIES_SESSION per unfinished series: {@link TimingWindows#nextSeriesSession}. Never DONE:
 *       the next session moves it on; a completed series turns into LASER_MAINTENANCE.</li>
 *   <li>LASER_MAINTENANCE per completed series (planned count reached, default 3): last session + 6 to 12
 *       months. DONE when any later session of the same device class is recorded.</li>
 *   <li>PHOTO_CHECKPOINT BASELINE: due at registration, window ends on the first treatment (injection, touch-up
 *       or laser); DONE with a BASELINE photo dated on or before the first treatment (any, before treatment).
 *       POST_INJECTION_REVIEW: cycle start +14, window photoCheckpointWindowDays; POST_LASER: latest laser
 *       session +7, same window. Both DONE with a photo of that kind dated on or after the due date (in the
 *       cycle, respectively after that session).</li>
 * </ul>
 */
public final class ScheduleCalculator {

    private final ClinicPolicy policy;

    public ScheduleCalculator(ClinicPolicy policy) {
        this.policy = Objects.requireNonNull(policy);
    }

    public ScheduleView schedule(PatientLedger ledger, LocalDate today) {
        ZoneId zone = policy.zone();
        List<ClinicalEntry> effective = ledger.effective();
        Cycles cycles = Cycles.of(effective, zone);
        List<ScheduleItem> items = new ArrayList<>();

        items.add(baseline(ledger, effective, today));
        cycles.current().ifPresent(cycle -> items.addAll(cycleItems(cycles, cycle, effective, today)));
        items.addAll(laserSeries(effective, today));
        postLaser(effective, today).ifPresent(items::add);

        items.sort(Comparator.comparing(ScheduleItem::due)
                .thenComparing(ScheduleItem::kind)
                .thenComparing(i -> i.deviceClass() == null ? -1 : i.deviceClass().ordinal())
                .thenComparing(i -> i.checkpointKind() == null ? -1 : i.checkpointKind().ordinal())
                .thenComparing(i -> i.seriesId() == null ? "" : i.seriesId()));
        return new ScheduleView(today, items);
    }

    private LocalDate date(ClinicalEntry e) {
        return e.occurredAt().atZone(policy.zone()).toLocalDate();
    }

    private ScheduleItem baseline(PatientLedger ledger, List<ClinicalEntry> effective, LocalDate today) {
        ClinicalEntry firstTreatment = effective.stream()
                .filter(e -> e instanceof InjectionRecorded || e instanceof TouchUpRecorded
                        || e instanceof LaserSessionRecorded)
                .findFirst().orElse(null);
        LocalDate windowEnd = firstTreatment == null ? null : date(firstTreatment);
        LocalDate due = ledger.registration()
                .map(r -> r.event().occurredAt().atZone(policy.zone()).toLocalDate())
                .orElse(windowEnd == null ? today : windowEnd);
        if (windowEnd != null && due.isAfter(windowEnd)) due = windowEnd;
        boolean done = effective.stream().anyMatch(e -> e instanceof PhotoCheckpointRecorded p
                && p.kind() == CheckpointKind.BASELINE
                && (firstTreatment == null || !p.occurredAt().isAfter(firstTreatment.occurredAt())));
        return ScheduleItem.of(ScheduleItemKind.PHOTO_CHECKPOINT, due, windowEnd,
                ScheduleStatus.of(due, windowEnd, done, today)).withCheckpoint(CheckpointKind.BASELINE);
    }

    private List<ScheduleItem> cycleItems(Cycles cycles, Cycle cycle, List<ClinicalEntry> effective,
                                          LocalDate today) {
        List<ScheduleItem> items = new ArrayList<>();
        LocalDate start = cycle.startDate();
        int n = cycle.number();

        // Two-week review
        LocalDate reviewDue = start.plusDays(policy.twoWeekReviewDays());
        LocalDate reviewEnd = start.plusDays(policy.twoWeekReviewWindowEndDays());
        boolean reviewed = !cycle.touchUps().isEmpty()
                || hasPhoto(cycle.photos(), CheckpointKind.POST_INJECTION_REVIEW, reviewDue);
        items.add(ScheduleItem.of(ScheduleItemKind.TWO_WEEK_REVIEW, reviewDue, reviewEnd,
                ScheduleStatus.of(reviewDue, reviewEnd, reviewed, today)).withCycle(n));

        // Touch-up window
        TimingWindows.DateWindow touchUp = TimingWindows.touchUp(start, policy);
        LocalDate touchUpDue = touchUp.opens();
        LocalDate touchUpEnd = touchUp.closes();
        items.add(ScheduleItem.of(ScheduleItemKind.TOUCH_UP_WINDOW, touchUpDue, touchUpEnd,
                ScheduleStatus.of(touchUpDue, touchUpEnd, !cycle.touchUps().isEmpty(), today)).withCycle(n));

        // Next neuromodulator
        ExpectedInterval expected = ExpectedInterval.forCycle(cycles.all(), cycles.all().size() - 1, policy);
        LocalDate nextDue = start.plusDays(expected.days());
        LocalDate nextEnd = nextDue.plusDays(policy.nextNeuromodulatorWindowDays());
        items.add(ScheduleItem.of(ScheduleItemKind.NEXT_NEUROMODULATOR, nextDue, nextEnd,
                ScheduleStatus.of(nextDue, nextEnd, false, today)).withCycle(n).withExpected(expected));

        // Earliest laser per device class: past every wait of LaserWait, the guard's own definition
        List<DoseEntry> injections = new ArrayList<>();
        for (int k = 0; k < effective.size(); k++) {
            // Effective entries are in ledger order, so their positions order them as stream sequences would.
            ClinicalEntry e = effective.get(k);
            if (e instanceof InjectionRecorded i) injections.add(DoseEntry.of(i, k));
            else if (e instanceof TouchUpRecorded t) injections.add(DoseEntry.of(t, k));
        }
        LocalDate neck = pastWait(LaserWait.LASER_NECK_AFTER_PLATYSMA, injections);
        for (LaserDeviceClass dc : LaserDeviceClass.values()) {
            Earliest earliest = earliest(dc, injections, start);
            LocalDate neckDue = neck != null && neck.isAfter(earliest.date) ? neck : null;
            LocalDate due = earliest.date;
            boolean done = cycle.laserSessions().stream()
                    .anyMatch(l -> l.deviceClass() == dc && !date(l).isBefore(due));
            items.add(ScheduleItem.of(ScheduleItemKind.EARLIEST_LASER, due, nextDue,
                            ScheduleStatus.of(due, nextDue, done, today))
                    .withCycle(n).withLaser(dc, earliest.rule, neckDue));
        }

        // Post-injection review photo
        LocalDate photoDue = start.plusDays(policy.postInjectionPhotoDays());
        LocalDate photoEnd = photoDue.plusDays(policy.photoCheckpointWindowDays());
        items.add(ScheduleItem.of(ScheduleItemKind.PHOTO_CHECKPOINT, photoDue, photoEnd,
                        ScheduleStatus.of(photoDue, photoEnd,
                                hasPhoto(cycle.photos(), CheckpointKind.POST_INJECTION_REVIEW, photoDue), today))
                .withCycle(n).withCheckpoint(CheckpointKind.POST_INJECTION_REVIEW));
        return items;
    }

    private record Earliest(LocalDate date, RuleCode rule) { }

    /**
     * The first day a session of {@code device} (on no particular zone) is past every wait that holds it back; the
     * latest wait names the rule, the first of the rules in LaserWait's order where two end on one day.
     */
    private Earliest earliest(LaserDeviceClass device, List<DoseEntry> injections, LocalDate cycleStart) {
        Earliest earliest = null;
        for (LaserWait wait : LaserWait.values()) {
            if (!wait.holdsBack(device, List.of())) continue;
            LocalDate past = pastWait(wait, injections);
            if (past != null && (earliest == null || past.isAfter(earliest.date))) earliest = new Earliest(past, wait.code());
        }
        // Every device waits after the cycle's initial injection, so there is one; the start is only a safeguard.
        return earliest != null ? earliest : new Earliest(cycleStart, null);
    }

    /** The first day past {@code wait} after the latest injection that starts it, or null where none does. */
    private LocalDate pastWait(LaserWait wait, List<DoseEntry> injections) {
        LocalDate latest = null;
        for (DoseEntry dose : injections) if (wait.countsFrom(dose)) latest = date(dose);
        return latest == null ? null : wait.earliest(latest, policy);
    }

    private LocalDate date(DoseEntry e) {
        return e.occurredAt().atZone(policy.zone()).toLocalDate();
    }

    private boolean hasPhoto(List<PhotoCheckpointRecorded> photos, CheckpointKind kind, LocalDate onOrAfter) {
        return photos.stream().anyMatch(p -> p.kind() == kind && !date(p).isBefore(onOrAfter));
    }

    private List<ScheduleItem> laserSeries(List<ClinicalEntry> effective, LocalDate today) {
        List<LaserSessionRecorded> sessions = effective.stream()
                .filter(LaserSessionRecorded.class::isInstance).map(LaserSessionRecorded.class::cast).toList();
        Map<String, List<LaserSessionRecorded>> bySeries = new LinkedHashMap<>();
        for (LaserSessionRecorded s : sessions) {
            if (s.seriesId() != null && !s.seriesId().isBlank()) {
                bySeries.computeIfAbsent(s.seriesId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<ScheduleItem> items = new ArrayList<>();
        bySeries.forEach((seriesId, series) -> {
            LaserSessionRecorded last = series.get(series.size() - 1);
            int planned = series.stream().map(LaserSessionRecorded::seriesPlannedSessions)
                    .filter(Objects::nonNull).reduce((a, b) -> b).orElse(policy.laserSeriesDefaultSessions());
            LocalDate lastDate = date(last);
            if (series.size() < planned) {
                TimingWindows.DateWindow next = TimingWindows.nextSeriesSession(lastDate, policy);
                LocalDate due = next.opens();
                LocalDate end = next.closes();
                items.add(ScheduleItem.of(ScheduleItemKind.LASER_SERIES_SESSION, due, end,
                                ScheduleStatus.of(due, end, false, today))
                        .withSeries(last.deviceClass(), seriesId, series.size() + 1, planned));
            } else {
                LocalDate due = lastDate.plusMonths(policy.laserMaintenanceMonths().from());
                LocalDate end = lastDate.plusMonths(policy.laserMaintenanceMonths().to());
                boolean done = sessions.stream().anyMatch(s -> s.deviceClass() == last.deviceClass()
                        && s.occurredAt().isAfter(last.occurredAt()));
                items.add(ScheduleItem.of(ScheduleItemKind.LASER_MAINTENANCE, due, end,
                                ScheduleStatus.of(due, end, done, today))
                        .withSeries(last.deviceClass(), seriesId, null, planned));
            }
        });
        return items;
    }

    private Optional<ScheduleItem> postLaser(List<ClinicalEntry> effective, LocalDate today) {
        LaserSessionRecorded latest = null;
        for (ClinicalEntry e : effective) if (e instanceof LaserSessionRecorded l) latest = l;
        if (latest == null) return Optional.empty();
        LaserSessionRecorded session = latest;
        LocalDate due = date(session).plusDays(policy.postLaserPhotoDays());
        LocalDate end = due.plusDays(policy.photoCheckpointWindowDays());
        boolean done = effective.stream().anyMatch(e -> e instanceof PhotoCheckpointRecorded p
                && p.kind() == CheckpointKind.POST_LASER && p.occurredAt().isAfter(session.occurredAt())
                && !date(p).isBefore(due));
        return Optional.of(ScheduleItem.of(ScheduleItemKind.PHOTO_CHECKPOINT, due, end,
                ScheduleStatus.of(due, end, done, today)).withCheckpoint(CheckpointKind.POST_LASER));
    }
}
