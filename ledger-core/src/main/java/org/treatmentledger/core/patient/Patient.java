package org.treatmentledger.core.patient;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Aggregate;
import org.treatmentledger.core.api.Advisory;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.CycleFactorDetails;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.DescribeEntry;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryDetails;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.ErasePatient;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionDetails;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.MovementReturnDetails;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.ObserveMovementReturn;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointDetails;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordLaserSession;
import org.treatmentledger.core.api.RecordPhotoCheckpoint;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportCycleFactor;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.ResolveSideEffect;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectReported;
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectResolved;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.rules.AdvisoryRules;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.Corrections;
import org.treatmentledger.core.rules.IntegrityRules;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.TimingRules;
import org.treatmentledger.core.rules.Violation;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.SideEffectEntry;
import org.treatmentledger.core.rules.timeline.Timeline;
import org.treatmentledger.core.rules.timeline.TimelineEntry;
import org.treatmentledger.core.rules.timeline.TimelineView;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * One patient's ledger. Guards live in the command handlers (integrity rules, then timing rules through
 * {@link TimingRules} on the timeline ordered by occurredAt, overrides, advisories); state changes only in
 * the event sourcing handlers. The state is plain: the patient's registration, every entry id with its type,
 * and the treatments' and side effects' {@link Timeline}. Snapshots are written and read outside the aggregate,
 * by org.treatmentledger.core.snapshot, through {@link #state()} and {@link #restore}.
 *
 * <p>Decisions recorded here (see the core report): a blank override reason, or an override whose
 * recording user is unknown, counts as no override; a void or amend needs a non-blank reason.
 */
@Aggregate
// The snapshot format's revision, Axon's own mechanism: its aggregate configuration filters snapshots by it
// (RevisionSnapshotFilter), so a snapshot in another format is skipped and the patient is sourced from its events.
// It must equal org.treatmentledger.core.snapshot.PatientSnapshot.REVISION (a test there fails otherwise).
@Revision("6")
public class Patient {

    @AggregateIdentifier
    private PatientId patientId;
    private Instant registeredAt;
    private Sex sex;
    /** Every entry id on the stream (treatments, facts, corrections, overrides, the registration). */
    private Map<String, EntryRef> entries = new HashMap<>();
    /**
     * The side effects whose report was voided: gone from the timeline, but their ids stay used (a side effect
     * id is never reused). With the timeline's side effects, every side effect id ever reported.
     */
    private Set<String> voidedSideEffectReports = new HashSet<>();
    private Timeline timeline = new Timeline();

    /** For Axon's event sourcing. */
    protected Patient() { }

    /** A patient with the state a snapshot kept; it takes ownership of the state's collections. */
    public static Patient restore(PatientState state) {
        Patient patient = new Patient();
        patient.patientId = state.patientId();
        patient.registeredAt = state.registeredAt();
        patient.sex = state.sex();
        patient.entries = state.entries();
        patient.voidedSideEffectReports = state.voidedSideEffectReports();
        patient.timeline = state.timeline();
        return patient;
    }

    /** The state, for a snapshot writer: the aggregate's own collections, to be read, not changed. */
    public PatientState state() {
        return new PatientState(patientId, registeredAt, sex, entries, voidedSideEffectReports, timeline);
    }

    /** The registration's entry id: derived from the patient id, so it is unique across patients. */
    public static String registrationEntryId(PatientId patientId) { return patientId + ":registration"; }

    /** The erasure's entry id: one per patient, so its presence among the entries is the erased state. */
    public static String erasureEntryId(PatientId patientId) { return patientId + ":erasure"; }

    /** The entry id of the override of {@code rule} recorded by command entry {@code commandEntryId}. */
    public static String overrideEntryId(String commandEntryId, RuleCode rule) { return commandEntryId + ":override:" + rule; }

    // ---------------------------------------------------------------- commands

    @CommandHandler
    public Patient(RegisterPatient command, Clock clock, ClinicPolicy policy) {
        Instant now = clock.instant();
        Instant at = command.registeredAt() == null ? now : command.registeredAt();
        List<Violation> integrity = IntegrityRules.checkTime(registrationEntryId(command.patientId()), at, null, now, policy);
        if (!integrity.isEmpty()) throw new RuleViolationException(integrity, null);
        if (command.sex() == null) throw new IllegalArgumentException("sex is required");
        apply(new PatientRegistered(command.patientId(), registrationEntryId(command.patientId()), at,
                command.clinicId(), command.sex(), command.birthYear(), command.externalRef()));
    }

    @CommandHandler
    public RecordedEntry handle(RecordInjection command, ClinicPolicy policy, Clock clock,
                                @MetaDataValue(value = PatientEvent.RECORDED_BY, required = false) String by) {
        requireNewEntryId(command.entryId());
        DecidedEntry treatment = injection(command.entryId(), required(command.details(), "details"), policy, clock);
        return recordTreatment(treatment, command.entryId(), command.override(), by, policy);
    }

    @CommandHandler
    public RecordedEntry handle(RecordTouchUp command, ClinicPolicy policy, Clock clock,
                                @MetaDataValue(value = PatientEvent.RECORDED_BY, required = false) String by) {
        requireNewEntryId(command.entryId());
        DecidedEntry treatment = touchUp(command.entryId(), required(command.details(), "details"), null, policy, clock);
        return recordTreatment(treatment, command.entryId(), command.override(), by, policy);
    }

    @CommandHandler
    public RecordedEntry handle(RecordLaserSession command, ClinicPolicy policy, Clock clock,
                                @MetaDataValue(value = PatientEvent.RECORDED_BY, required = false) String by) {
        requireNewEntryId(command.entryId());
        DecidedEntry treatment = laser(command.entryId(), required(command.details(), "details"), policy, clock);
        return recordTreatment(treatment, command.entryId(), command.override(), by, policy);
    }

    /** A new injection, touch-up or laser session: rules decide, overrides (if any) first, then the treatment. */
    private RecordedEntry recordTreatment(DecidedEntry treatment, String entryId, OverrideRequest override, String by,
                                          ClinicPolicy policy) {
        List<RuleOverridden> overrides = decide(null, treatment.candidate(), entryId, override, by, policy);
        overrides.forEach(o -> apply(o));
        apply(treatment.event());
        return treatment.answer(entryId);
    }

    @CommandHandler
    public void handle(RecordPhotoCheckpoint command, ClinicPolicy policy, Clock clock) {
        requireNewEntryId(command.entryId());
        apply(photo(command.entryId(), required(command.details(), "details"), policy, clock));
    }

    @CommandHandler
    public void handle(ReportSideEffect command, ClinicPolicy policy, Clock clock) {
        requireNewEntryId(command.entryId());
        String sideEffectId = command.sideEffectId();
        if (sideEffectId == null || sideEffectId.isBlank()) throw new IllegalArgumentException("sideEffectId is required");
        if (timeline.sideEffect(sideEffectId) != null || voidedSideEffectReports.contains(sideEffectId)) {
            throw refuse(RuleCode.DUPLICATE_ENTRY_ID, "Side effect id " + sideEffectId + " is already in use.", command.entryId());
        }
        apply(sideEffectReport(command.entryId(), sideEffectId, required(command.details(), "details"), null, policy, clock));
    }

    @CommandHandler
    public void handle(ResolveSideEffect command, ClinicPolicy policy, Clock clock) {
        requireNewEntryId(command.entryId());
        SideEffectEntry sideEffect = timeline.sideEffect(command.sideEffectId());
        if (sideEffect == null) {
            throw refuse(RuleCode.ENTRY_NOT_FOUND, "No side effect " + command.sideEffectId() + " is on record.", command.entryId());
        }
        if (sideEffect.isResolved()) {
            throw refuse(RuleCode.SIDE_EFFECT_ALREADY_RESOLVED, "Side effect " + command.sideEffectId()
                    + " was already resolved on " + sideEffect.resolvedAt() + "; amend that resolution instead.", command.entryId());
        }
        apply(resolution(command.entryId(), command.sideEffectId(), required(command.details(), "details"), policy, clock));
    }

    @CommandHandler
    public void handle(ReportCycleFactor command, ClinicPolicy policy, Clock clock) {
        requireNewEntryId(command.entryId());
        apply(cycleFactor(command.entryId(), required(command.details(), "details"), policy, clock));
    }

    @CommandHandler
    public void handle(ObserveMovementReturn command, ClinicPolicy policy, Clock clock) {
        requireNewEntryId(command.entryId());
        apply(movementReturn(command.entryId(), required(command.details(), "details"), policy, clock));
    }

    @CommandHandler
    public EntryType handle(DescribeEntry command) {
        EntryRef ref = entries.get(command.entryId());
        if (ref == null) throw notFound(command.entryId(), command.entryId());
        return ref.type();
    }

    @CommandHandler
    public RecordedEntry handle(AmendEntry command, ClinicPolicy policy, Clock clock,
                                @MetaDataValue(value = PatientEvent.RECORDED_BY, required = false) String by) {
        requireNewEntryId(command.entryId());
        requireReason(command.reason());
        String targetId = command.targetEntryId();
        EntryRef target = correctableTarget(targetId, command.entryId());
        List<EntryType> offered = command.replacement() == null ? List.of() : command.replacement().types();
        EntryDetails replacement = command.replacement() == null ? null : command.replacement().as(target.type());
        if (replacement == null) {
            throw refuse(RuleCode.AMEND_TYPE_MISMATCH, "Entry " + targetId + " is a " + target.type()
                    + "; its replacement must be one too" + (offered.isEmpty() ? "."
                    : offered.size() == 1 ? ", not a " + offered.get(0) + "." : ", not one of " + offered + "."),
                    command.entryId());
        }
        DecidedEntry treatment;
        if (replacement instanceof InjectionDetails d) treatment = injection(targetId, d, policy, clock);
        else if (replacement instanceof TouchUpDetails d) treatment = touchUp(targetId, d, targetId, policy, clock);
        else if (replacement instanceof LaserSessionDetails d) treatment = laser(targetId, d, policy, clock);
        else if (replacement instanceof PhotoCheckpointDetails d) treatment = DecidedEntry.untimed(photo(targetId, d, policy, clock));
        else if (replacement instanceof SideEffectDetails d) {
            treatment = DecidedEntry.untimed(amendedReport(targetId, target.sideEffectId(), d, policy, clock));
        } else if (replacement instanceof SideEffectResolutionDetails d) {
            treatment = DecidedEntry.untimed(amendedResolution(targetId, target.sideEffectId(), d, policy, clock));
        } else if (replacement instanceof CycleFactorDetails d) treatment = DecidedEntry.untimed(cycleFactor(targetId, d, policy, clock));
        else if (replacement instanceof MovementReturnDetails d) treatment = DecidedEntry.untimed(movementReturn(targetId, d, policy, clock));
        else throw new IllegalArgumentException("unknown replacement " + replacement.getClass().getSimpleName());
        List<RuleOverridden> overrides = treatment.candidate() == null ? List.of()
                : decide(targetId, treatment.candidate(), command.entryId(), command.override(), by, policy);
        overrides.forEach(o -> apply(o));
        apply(new EntryAmended(patientId, command.entryId(), clock.instant(), targetId, command.reason(),
                (ClinicalEntry) treatment.event()));
        return new RecordedEntry(command.entryId(), treatment.cycle(), treatment.advisories());
    }

    /**
     * Records the erasure; the service destroys the patient's data key once it is stored. Refused when the patient
     * is already erased, so a second request stores nothing.
     */
    @CommandHandler
    public String handle(ErasePatient command, Clock clock) {
        String entryId = erasureEntryId(patientId);
        if (entries.containsKey(entryId)) {
            throw refuse(RuleCode.ALREADY_ERASED, "Patient " + patientId + " is already erased.", entryId);
        }
        requireReason(command.reason());
        apply(new PatientErased(patientId, entryId, clock.instant(), command.reason()));
        return entryId;
    }

    @CommandHandler
    public void handle(VoidEntry command, Clock clock) {
        requireNewEntryId(command.entryId());
        requireReason(command.reason());
        correctableTarget(command.targetEntryId(), command.entryId());
        apply(new EntryVoided(patientId, command.entryId(), clock.instant(), command.targetEntryId(), command.reason()));
    }

    // ---------------------------------------------------------------- building entries (guards included)

    /** An entry its guards accepted: the event to apply, its timeline candidate (null if untimed) and the answer. */
    private record DecidedEntry(PatientEvent event, TimelineEntry candidate, Integer cycle,
                                List<Advisory> advisories) {
        /** An entry the timing rules do not look at (a photo, side effect, cycle factor or movement return). */
        static DecidedEntry untimed(PatientEvent event) { return new DecidedEntry(event, null, null, List.of()); }

        RecordedEntry answer(String entryId) { return new RecordedEntry(entryId, cycle, advisories); }
    }

    private DecidedEntry injection(String entryId, InjectionDetails d, ClinicPolicy policy, Clock clock) {
        checkIntegrity(entryId, d.occurredAt(), policy, clock, d.lot(), d.sites());
        DoseEntry candidate = new DoseEntry(entryId, sequenceOf(entryId), d.occurredAt(), false, d.product(),
                d.intent(), d.sites());
        TimelineView view = timeline.view(policy.zone(), entries.containsKey(entryId) ? entryId : null, candidate);
        int cycle = view.cycleNumber(candidate);
        var advisories = AdvisoryRules.forDose(candidate, sex, view, policy);
        return new DecidedEntry(new InjectionRecorded(patientId, entryId, d.occurredAt(), cycle, d.product(), d.lot(),
                d.dilutionMlPer100U(), d.intent(), d.indication(), d.sites(), d.injector(), advisories),
                candidate, cycle, advisories);
    }

    private DecidedEntry touchUp(String entryId, TouchUpDetails d, String excluded, ClinicPolicy policy, Clock clock) {
        checkIntegrity(entryId, d.occurredAt(), policy, clock, d.lot(), d.sites());
        DoseEntry candidate = new DoseEntry(entryId, sequenceOf(entryId), d.occurredAt(), true, d.product(), null,
                d.sites());
        TimelineView view = timeline.view(policy.zone(), excluded, candidate);
        // A touch-up recorded without any cycle (only possible under an override) gets cycle 0.
        int cycle = view.cycleNumber(candidate);
        var advisories = AdvisoryRules.forDose(candidate, sex, view, policy);
        return new DecidedEntry(new TouchUpRecorded(patientId, entryId, d.occurredAt(), cycle, d.product(), d.lot(),
                d.dilutionMlPer100U(), d.indication(), d.sites(), d.injector(), advisories), candidate, cycle, advisories);
    }

    private DecidedEntry laser(String entryId, LaserSessionDetails d, ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        if (d.deviceClass() == null) throw new IllegalArgumentException("deviceClass is required");
        if (d.zones().isEmpty()) throw new IllegalArgumentException("at least one treated zone is required");
        LaserEntry candidate = new LaserEntry(entryId, sequenceOf(entryId), d.occurredAt(), d.deviceClass(), d.zones(),
                d.seriesId());
        var advisories = AdvisoryRules.forLaser(candidate);
        return new DecidedEntry(new LaserSessionRecorded(patientId, entryId, d.occurredAt(), d.deviceClass(),
                d.deviceModel(), d.zones(), d.passes(), d.densityPercent(), d.energyMj(), d.fluenceJPerCm2(),
                d.wavelengthNm(), d.seriesId(), d.seriesPlannedSessions(), d.operator(), advisories),
                candidate, null, advisories);
    }

    /** A candidate's place among entries at its instant: an amended entry keeps its own, a new one comes last. */
    private long sequenceOf(String entryId) {
        TimelineEntry recorded = timeline.find(entryId);
        return recorded == null ? TimelineEntry.NOT_YET_RECORDED : recorded.sequence();
    }

    private PhotoCheckpointRecorded photo(String entryId, PhotoCheckpointDetails d, ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        return new PhotoCheckpointRecorded(patientId, entryId, d.occurredAt(), d.kind(), d.images());
    }

    private CycleFactorReported cycleFactor(String entryId, CycleFactorDetails d, ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        return new CycleFactorReported(patientId, entryId, d.occurredAt(), d.factor(), d.note());
    }

    private MovementReturnObserved movementReturn(String entryId, MovementReturnDetails d, ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        return new MovementReturnObserved(patientId, entryId, d.occurredAt(), d.sites());
    }

    private SideEffectReported sideEffectReport(String entryId, String sideEffectId, SideEffectDetails d,
                                                SideEffectEntry current, ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        if (d.type() == null) throw new IllegalArgumentException("type is required");
        if (d.relatedEntryId() != null && !entries.containsKey(d.relatedEntryId())) {
            throw notFound(d.relatedEntryId(), entryId);
        }
        if (current != null && current.resolvedAt() != null && current.resolvedAt().isBefore(d.occurredAt())) {
            throw refuse(RuleCode.RESOLUTION_BEFORE_ONSET, "Side effect " + sideEffectId + " was resolved at "
                    + current.resolvedAt() + ", before the amended onset " + d.occurredAt() + ".", entryId);
        }
        return new SideEffectReported(patientId, entryId, sideEffectId, d.occurredAt(), d.type(), d.severity(),
                d.zone(), d.relatedEntryId(), d.note());
    }

    private SideEffectReported amendedReport(String targetId, String sideEffectId, SideEffectDetails d,
                                             ClinicPolicy policy, Clock clock) {
        return sideEffectReport(targetId, sideEffectId, d, timeline.sideEffect(sideEffectId), policy, clock);
    }

    private SideEffectResolved resolution(String entryId, String sideEffectId, SideEffectResolutionDetails d,
                                          ClinicPolicy policy, Clock clock) {
        checkTime(entryId, d.occurredAt(), policy, clock);
        SideEffectEntry sideEffect = timeline.sideEffect(sideEffectId);
        if (sideEffect != null && d.occurredAt().isBefore(sideEffect.onset())) {
            throw refuse(RuleCode.RESOLUTION_BEFORE_ONSET, "The resolution at " + d.occurredAt()
                    + " is before the side effect's onset at " + sideEffect.onset() + ".", entryId);
        }
        return new SideEffectResolved(patientId, entryId, sideEffectId, d.occurredAt(), d.note());
    }

    private SideEffectResolved amendedResolution(String targetId, String sideEffectId, SideEffectResolutionDetails d,
                                                 ClinicPolicy policy, Clock clock) {
        return resolution(targetId, sideEffectId, d, policy, clock);
    }

    // ---------------------------------------------------------------- guards

    private static <T> T required(T value, String name) {
        if (value == null) throw new IllegalArgumentException(name + " is required");
        return value;
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException("a reason is required");
    }

    private void requireNewEntryId(String entryId) {
        // Its data key is destroyed: nothing personal could be written, and nothing should be recorded any more.
        if (entries.containsKey(erasureEntryId(patientId))) {
            throw refuse(RuleCode.PATIENT_ERASED, "Patient " + patientId + " is erased; its ledger takes no new entries.", entryId);
        }
        if (entryId == null || entryId.isBlank()) throw new IllegalArgumentException("entryId is required");
        if (entries.containsKey(entryId)) {
            throw refuse(RuleCode.DUPLICATE_ENTRY_ID, "Entry id " + entryId + " is already on this patient's ledger.", entryId);
        }
    }

    private EntryRef correctableTarget(String targetId, String correctionId) {
        EntryRef target = targetId == null ? null : entries.get(targetId);
        if (target == null) throw notFound(targetId, correctionId);
        if (!target.type().isCorrectable()) {
            throw refuse(RuleCode.NOT_CORRECTABLE, "Entry " + targetId + " is a " + target.type()
                    + " entry, which cannot be amended or voided.", correctionId);
        }
        if (target.voided()) {
            throw refuse(RuleCode.ENTRY_ALREADY_VOIDED, "Entry " + targetId + " has been voided.", correctionId);
        }
        return target;
    }

    private void checkTime(String entryId, Instant occurredAt, ClinicPolicy policy, Clock clock) {
        List<Violation> v = IntegrityRules.checkTime(entryId, occurredAt, registeredAt, clock.instant(), policy);
        if (!v.isEmpty()) throw new RuleViolationException(v, null);
    }

    private void checkIntegrity(String entryId, Instant occurredAt, ClinicPolicy policy, Clock clock,
                                Lot lot, List<SiteDose> sites) {
        List<Violation> v = new ArrayList<>(IntegrityRules.checkTime(entryId, occurredAt, registeredAt, clock.instant(), policy));
        LocalDate date = occurredAt == null ? null : occurredAt.atZone(policy.zone()).toLocalDate();
        v.addAll(IntegrityRules.checkDose(entryId, date, lot, sites));
        if (!v.isEmpty()) throw new RuleViolationException(v, null);
    }

    /**
     * The timing decision: refuse, or (with an override that has a reason and a known recorder) one
     * RuleOverridden per broken rule, to be applied before the treatment.
     */
    private List<RuleOverridden> decide(String excludedId, TimelineEntry candidate, String commandEntryId,
                                        OverrideRequest override, String by, ClinicPolicy policy) {
        List<Violation> violations = TimingRules.violations(timeline, excludedId, candidate, policy);
        if (violations.isEmpty()) return List.of();
        boolean overridden = override != null && override.reason() != null && !override.reason().isBlank()
                && by != null && !by.isBlank();
        if (!overridden) {
            throw new RuleViolationException(violations,
                    TimingRules.earliestAllowed(timeline, excludedId, candidate, violations, policy));
        }
        Map<RuleCode, Violation> byRule = new LinkedHashMap<>();
        for (Violation v : violations) {
            byRule.merge(v.code(), v, (a, b) -> later(a, b));
        }
        List<RuleOverridden> out = new ArrayList<>();
        for (Violation v : byRule.values()) {
            // The other entry involved: the cause when the candidate came too soon, else the later entry it disturbs.
            String other = Objects.equals(v.subjectEntryId(), candidate.entryId()) ? v.causeEntryId() : v.subjectEntryId();
            out.add(new RuleOverridden(patientId, overrideEntryId(commandEntryId, v.code()), candidate.occurredAt(),
                    candidate.entryId(), v.code(), override.reason(), by, other, v.earliestAllowed()));
        }
        return out;
    }

    private static Violation later(Violation a, Violation b) {
        if (a.earliestAllowed() == null) return a;
        if (b.earliestAllowed() == null) return b;
        return b.earliestAllowed().isAfter(a.earliestAllowed()) ? b : a;
    }

    private static RuleViolationException refuse(RuleCode code, String detail, String entryId) {
        return new RuleViolationException(new Violation(code, detail, null, entryId, null));
    }

    private static RuleViolationException notFound(String targetId, String entryId) {
        return refuse(RuleCode.ENTRY_NOT_FOUND, "No entry " + targetId + " is on this patient's ledger.", entryId);
    }

    // ---------------------------------------------------------------- state changes

    @EventSourcingHandler
    void on(PatientRegistered e) {
        patientId = e.patientId();
        registeredAt = e.occurredAt();
        sex = e.sex();
        entries.put(e.entryId(), EntryRef.of(EntryType.REGISTRATION));
    }

    @EventSourcingHandler
    void on(InjectionRecorded e, @SequenceNumber long sequence) {
        entries.put(e.entryId(), EntryRef.of(EntryType.INJECTION));
        timeline.add(DoseEntry.of(e, sequence));
    }

    @EventSourcingHandler
    void on(TouchUpRecorded e, @SequenceNumber long sequence) {
        entries.put(e.entryId(), EntryRef.of(EntryType.TOUCH_UP));
        timeline.add(DoseEntry.of(e, sequence));
    }

    @EventSourcingHandler
    void on(LaserSessionRecorded e, @SequenceNumber long sequence) {
        entries.put(e.entryId(), EntryRef.of(EntryType.LASER_SESSION));
        timeline.add(toTimeline(e, sequence));
    }

    @EventSourcingHandler
    void on(PhotoCheckpointRecorded e) { entries.put(e.entryId(), EntryRef.of(EntryType.PHOTO_CHECKPOINT)); }

    @EventSourcingHandler
    void on(CycleFactorReported e) { entries.put(e.entryId(), EntryRef.of(EntryType.CYCLE_FACTOR)); }

    @EventSourcingHandler
    void on(MovementReturnObserved e) { entries.put(e.entryId(), EntryRef.of(EntryType.MOVEMENT_RETURN)); }

    @EventSourcingHandler
    void on(SideEffectReported e) {
        entries.put(e.entryId(), EntryRef.of(EntryType.SIDE_EFFECT_REPORTED, e.sideEffectId()));
        timeline.putSideEffect(new SideEffectEntry(e.entryId(), e.sideEffectId(), e.occurredAt(), e.type(), e.zone(), null, null));
    }

    @EventSourcingHandler
    void on(SideEffectResolved e) {
        entries.put(e.entryId(), EntryRef.of(EntryType.SIDE_EFFECT_RESOLVED, e.sideEffectId()));
        SideEffectEntry sideEffect = timeline.sideEffect(e.sideEffectId());
        if (sideEffect != null) timeline.putSideEffect(sideEffect.resolved(e.entryId(), e.occurredAt()));
    }

    @EventSourcingHandler
    void on(PatientErased e) { entries.put(e.entryId(), EntryRef.of(EntryType.ERASURE)); }

    @EventSourcingHandler
    void on(RuleOverridden e) { entries.put(e.entryId(), EntryRef.of(EntryType.OVERRIDE)); }

    @EventSourcingHandler
    void on(EntryAmended e) {
        entries.put(e.entryId(), EntryRef.of(EntryType.CORRECTION));
        Corrections.apply(e, new CorrectedState());
    }

    @EventSourcingHandler
    void on(EntryVoided e) {
        entries.put(e.entryId(), EntryRef.of(EntryType.CORRECTION));
        Corrections.apply(e, new CorrectedState());
    }

    /** The write side's state under {@link Corrections}: the entry index and the timeline the rules read. */
    private final class CorrectedState implements Corrections.Target {
        @Override
        public EntryType typeOf(String entryId) {
            EntryRef ref = entries.get(entryId);
            return ref == null ? null : ref.type();
        }

        @Override
        public boolean isVoided(String entryId) { return entries.get(entryId).voided(); }

        @Override
        public void amend(EntryAmended e) {
            ClinicalEntry r = e.replacement();
            // The replacement keeps the place of the entry it replaces among entries at one instant.
            TimelineEntry replaced = timeline.find(r.entryId());
            long sequence = replaced == null ? TimelineEntry.NOT_YET_RECORDED : replaced.sequence();
            if (r instanceof InjectionRecorded i) replace(DoseEntry.of(i, sequence));
            else if (r instanceof TouchUpRecorded t) replace(DoseEntry.of(t, sequence));
            else if (r instanceof LaserSessionRecorded l) replace(toTimeline(l, sequence));
            else if (r instanceof SideEffectReported report) {
                SideEffectEntry current = timeline.sideEffect(report.sideEffectId());
                timeline.putSideEffect(new SideEffectEntry(report.entryId(), report.sideEffectId(), report.occurredAt(),
                        report.type(), report.zone(), current == null ? null : current.resolutionEntryId(),
                        current == null ? null : current.resolvedAt()));
            } else if (r instanceof SideEffectResolved resolved) {
                SideEffectEntry current = timeline.sideEffect(resolved.sideEffectId());
                if (current != null) timeline.putSideEffect(current.resolved(resolved.entryId(), resolved.occurredAt()));
            }
            // Photos, cycle factors and movement returns play no part in the rules.
        }

        @Override
        public void voidEntry(EntryVoided e, EntryType type) {
            EntryRef target = entries.get(e.targetEntryId());
            entries.put(e.targetEntryId(), target.asVoided());
            switch (type) {
                case INJECTION, TOUCH_UP, LASER_SESSION -> timeline.remove(e.targetEntryId());
                case SIDE_EFFECT_REPORTED -> {
                    timeline.removeSideEffect(target.sideEffectId());
                    voidedSideEffectReports.add(target.sideEffectId());
                }
                case SIDE_EFFECT_RESOLVED -> {
                    SideEffectEntry current = timeline.sideEffect(target.sideEffectId());
                    if (current != null && e.targetEntryId().equals(current.resolutionEntryId())) {
                        timeline.putSideEffect(current.resolved(null, null));
                    }
                }
                default -> { }
            }
        }
    }

    private void replace(TimelineEntry entry) {
        timeline.remove(entry.entryId());
        timeline.add(entry);
    }

    private static LaserEntry toTimeline(LaserSessionRecorded e, long sequence) {
        return new LaserEntry(e.entryId(), sequence, e.occurredAt(), e.deviceClass(), e.zones(), e.seriesId());
    }

    // ---------------------------------------------------------------- read access for tests and tools

    public PatientId patientId() { return patientId; }

    /** The treatments as the rules see them (read-only use). */
    Timeline timeline() { return timeline; }

    Map<String, EntryRef> entries() { return Map.copyOf(entries); }

    Set<String> voidedSideEffectReports() { return Set.copyOf(voidedSideEffectReports); }
}
