package org.treatmentledger.core.patient;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionDetails;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordLaserSession;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.ResolveSideEffect;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectReported;
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectResolved;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.core.snapshot.SnapshotSerializer;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random treatment timelines (random dates, so plenty of backdating; random overrides) sent through a real
 * Axon configuration (in-memory event store, Jackson serializer, Jackson snapshots every 4 events). Then a
 * naive checker, written independently of {@code TimingRules}, recomputes every timing violation of every
 * pair of entries on the final timeline: each must carry a RuleOverridden for that rule on one of the
 * entries involved. A laser's side-effect rules count only side effects reported before the laser was
 * recorded (reports are facts, recorded whenever they are learnt, never refused). Voids and amends are
 * not generated: they are examples in PatientIntegrityAndLedgerTest.
 */
class PatientTimelineProperties {

    private static final LocalDate DAY0 = LocalDate.parse("2026-01-01");
    private static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");
    private static final ClinicPolicy POLICY = ClinicPolicy.defaults();
    private static final Lot LOT = new Lot("L1", LocalDate.parse("2030-01-01"));
    private static final AtomicInteger PATIENTS = new AtomicInteger();

    private Configuration axon;
    private CommandGateway gateway;

    @BeforeProperty
    void startAxon() {
        axon = DefaultConfigurer.defaultConfiguration()
                .configureSerializer(c -> LedgerJson.serializer())
                .configureEmbeddedEventStore(c -> new SerializingSnapshotStore())
                .configureAggregate(AggregateConfigurer.defaultConfiguration(Patient.class)
                        .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), 4)))
                .registerComponent(ClinicPolicy.class, c -> POLICY)
                .registerComponent(Clock.class, c -> Clock.fixed(NOW, ZoneOffset.UTC))
                .buildConfiguration();
        axon.start();
        gateway = axon.commandGateway();
    }

    /**
     * The in-memory engine keeps snapshot payloads as live objects (which later loads would mutate); a
     * database stores them serialised. Keep only the bytes the JDBC store would keep and deserialise on every
     * read, so every load after a snapshot goes through the aggregate's snapshot form, as in production.
     */
    static final class SerializingSnapshotStore extends InMemoryEventStorageEngine {
        private final Serializer serializer = new SnapshotSerializer();
        private final Map<String, DomainEventMessage<?>> headers = new ConcurrentHashMap<>();
        private final Map<String, SerializedObject<byte[]>> payloads =
                new ConcurrentHashMap<>();

        @Override
        public void storeSnapshot(DomainEventMessage<?> snapshot) {
            payloads.put(snapshot.getAggregateIdentifier(), serializer.serialize(snapshot.getPayload(), byte[].class));
            headers.put(snapshot.getAggregateIdentifier(), snapshot);
            SNAPSHOTS.incrementAndGet();
        }

        @Override
        public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
            DomainEventMessage<?> header = headers.get(aggregateIdentifier);
            if (header == null) return Optional.empty();
            Object copy = serializer.deserialize(payloads.get(aggregateIdentifier));
            return Optional.of(new GenericDomainEventMessage<>(header.getType(),
                    header.getAggregateIdentifier(), header.getSequenceNumber(), copy, header.getMetaData(),
                    header.getIdentifier(), header.getTimestamp()));
        }
    }

    private static final AtomicInteger SNAPSHOTS = new AtomicInteger();

    private static final AtomicInteger OVERRIDES_SEEN = new AtomicInteger();
    private static final AtomicInteger REFUSALS_SEEN = new AtomicInteger();

    @AfterProperty
    void stopAxon() {
        axon.shutdown();
        // The property is not vacuous: the random timelines produced both refusals and overrides.
        assertThat(REFUSALS_SEEN.get()).isPositive();
        assertThat(OVERRIDES_SEEN.get()).isPositive();
    }

    /** One random command: kind, day on the timeline, a variant and whether it carries an override. */
    record Op(int kind, int day, int variant, boolean override) { }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 240),
                Arbitraries.integers().between(0, 11),
                Arbitraries.of(true, false)).as(Op::new);
        return op.list().ofMinSize(3).ofMaxSize(30);
    }

    @Property(tries = 120)
    void every_timing_violation_on_the_final_timeline_is_overridden(@ForAll("operations") List<Op> ops) {
        PatientId patient = PatientId.of("prop-" + PATIENTS.incrementAndGet());
        gateway.sendAndWait(new RegisterPatient(patient, "c", Sex.FEMALE, 1990, null, Instant.parse("2025-12-01T00:00:00Z")));
        List<String> sideEffectIds = new ArrayList<>();
        int n = 0;
        for (Op op : ops) {
            // Both kinds of id: canonical UUIDs (packed in snapshots) and free text (listed apart).
            String id = n % 3 == 0 ? "e" + n : new UUID(0x9E3779B97F4A7C15L * n, n).toString();
            n++;
            Object command = command(patient, id, op, sideEffectIds);
            if (command == null) continue;
            boolean withOverride = op.override() && hasOverride(command);
            try {
                gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                        .andMetaData(Map.of(PatientEvent.RECORDED_BY, "dr.prop")));
                if (command instanceof ReportSideEffect r) sideEffectIds.add(r.sideEffectId());
            } catch (RuleViolationException refused) {
                REFUSALS_SEEN.incrementAndGet();
                if (withOverride) {
                    // With an override only rules that cannot be overridden may refuse.
                    assertThat(refused.violations()).allMatch(v -> !v.code().isOverridable());
                }
            }
        }
        List<DomainEventMessage<?>> events = new ArrayList<>();
        axon.eventStore().readEvents(patient.value(), 0L).asStream().forEach(events::add);
        List<String> problems = naiveUnoverriddenViolations(events);
        assertThat(problems).isEmpty();
        if (ops.size() > 20) assertThat(SNAPSHOTS.get()).as("snapshots were taken and loaded").isPositive();
    }

    private static boolean hasOverride(Object command) {
        return command instanceof RecordInjection || command instanceof RecordTouchUp || command instanceof RecordLaserSession;
    }

    private static Instant at(int day, int hour) { return DAY0.plusDays(day).atTime(hour, 0).toInstant(ZoneOffset.UTC); }

    private static List<SiteDose> sites(int variant) {
        return switch (variant % 6) {
            case 0 -> List.of(new SiteDose(Site.GLABELLA, Units.of(20)));
            case 1 -> List.of(new SiteDose(Site.CROWS_FEET_LEFT, Units.of(8)), new SiteDose(Site.CROWS_FEET_RIGHT, Units.of(8)));
            case 2 -> List.of(new SiteDose(Site.PLATYSMA, Units.of(40)));
            case 3 -> List.of(new SiteDose(Site.MASSETER_LEFT, Units.of(120)), new SiteDose(Site.MASSETER_RIGHT, Units.of(120)));
            case 4 -> List.of(new SiteDose(Site.FOREHEAD, Units.of(10)), new SiteDose(Site.GLABELLA, Units.of(15)));
            default -> List.of(new SiteDose(Site.TRAPEZIUS, Units.of(150)));
        };
    }

    private static Object command(PatientId p, String id, Op op, List<String> sideEffectIds) {
        OverrideRequest override = op.override() ? new OverrideRequest("property test") : null;
        Instant at = at(op.day(), 9 + op.variant() % 8);
        return switch (op.kind()) {
            case 0, 1 -> new RecordInjection(p, id, new InjectionDetails(at, Product.ONABOTULINUMTOXIN_A, LOT,
                    DoseIntent.LIGHT, Indication.COSMETIC, sites(op.variant()), null, null), override);
            case 2, 3 -> new RecordTouchUp(p, id, new TouchUpDetails(at, Product.ONABOTULINUMTOXIN_A, LOT,
                    Indication.THERAPEUTIC, sites(op.variant() + op.day()), null, null), override);
            case 4, 5, 6 -> {
                LaserDeviceClass device = LaserDeviceClass.values()[op.variant() % 3];
                List<Zone> zones = switch (op.variant() % 4) {
                    case 0 -> List.of(Zone.CHEEKS);
                    case 1 -> List.of(Zone.NECK);
                    case 2 -> List.of(Zone.PERIORAL);
                    default -> List.of(Zone.FULL_FACE, Zone.NECK);
                };
                String series = op.day() % 3 == 0 ? null : "series-" + (op.day() % 2);
                yield new RecordLaserSession(p, id, new LaserSessionDetails(at, device, "m", zones, 1, null, null, null,
                        null, series, null, "op"), override);
            }
            case 7, 8 -> {
                SideEffectType type = List.of(SideEffectType.BRUISING, SideEffectType.SMILE_CHANGE,
                        SideEffectType.SPEECH_CHANGE, SideEffectType.HEADACHE).get(op.variant() % 4);
                Zone zone = List.of(Zone.CHEEKS, Zone.PERIORAL, Zone.FULL_FACE).get(op.variant() % 3);
                yield new ReportSideEffect(p, id, op.day() % 2 == 0 ? "se-" + id : new StringBuilder(id).reverse().toString(), new SideEffectDetails(at, type, Severity.MILD, zone, null, null));
            }
            default -> sideEffectIds.isEmpty() ? null : new ResolveSideEffect(p, id,
                    sideEffectIds.get(op.variant() % sideEffectIds.size()),
                    new SideEffectResolutionDetails(at, null));
        };
    }

    // ------------------------------------------------------------ the naive checker

    private record Dose(String id, long seq, Instant at, boolean touchUp, List<SiteDose> sites) {
        LocalDate date() { return at.atZone(ZoneOffset.UTC).toLocalDate(); }
        BigDecimal units() { return sites.stream().map(s -> s.units().value()).reduce(BigDecimal.ZERO, BigDecimal::add); }
        boolean has(Site site) { return sites.stream().anyMatch(s -> s.site() == site); }
        boolean periocular() { return sites.stream().anyMatch(s -> s.site().isPeriocular()); }
    }

    private record Laser(String id, long seq, Instant at, LaserDeviceClass device, List<Zone> zones, String series) {
        LocalDate date() { return at.atZone(ZoneOffset.UTC).toLocalDate(); }
    }

    private record Effect(String id, String sideEffectId, long seq, Instant onset, SideEffectType type, Zone zone) { }

    private record Resolution(String sideEffectId, long seq, Instant at) { }

    private record Overridden(RuleCode rule, String entryId) { }

    private static long d(LocalDate a, LocalDate b) { return ChronoUnit.DAYS.between(a, b); }

    private static int min(RuleCode code) { return POLICY.minimumDays(code); }

    /** Every timing violation of the final timeline, checked pair by pair, that has no matching override. */
    private static List<String> naiveUnoverriddenViolations(List<DomainEventMessage<?>> events) {
        List<Dose> doses = new ArrayList<>();
        List<Laser> lasers = new ArrayList<>();
        List<Effect> effects = new ArrayList<>();
        List<Resolution> resolutions = new ArrayList<>();
        Set<Overridden> overrides = new HashSet<>();
        for (DomainEventMessage<?> m : events) {
            long seq = m.getSequenceNumber();
            Object e = m.getPayload();
            if (e instanceof InjectionRecorded i) doses.add(new Dose(i.entryId(), seq, i.occurredAt(), false, i.sites()));
            if (e instanceof TouchUpRecorded t) doses.add(new Dose(t.entryId(), seq, t.occurredAt(), true, t.sites()));
            if (e instanceof LaserSessionRecorded l) {
                lasers.add(new Laser(l.entryId(), seq, l.occurredAt(), l.deviceClass(), l.zones(), l.seriesId()));
            }
            if (e instanceof SideEffectReported r) {
                effects.add(new Effect(r.entryId(), r.sideEffectId(), seq, r.occurredAt(), r.type(), r.zone()));
            }
            if (e instanceof SideEffectResolved r) resolutions.add(new Resolution(r.sideEffectId(), seq, r.occurredAt()));
            if (e instanceof RuleOverridden o) {
                overrides.add(new Overridden(o.rule(), o.overriddenEntryId()));
                OVERRIDES_SEEN.incrementAndGet();
            }
        }
        // Ledger order: clinical time, then the order recorded (no amends here, so the recording's own sequence).
        Comparator<Dose> order = Comparator.comparing(Dose::at).thenComparingLong(Dose::seq);
        doses.sort(order);
        List<String> problems = new ArrayList<>();

        // Laser rules, every (dose, laser) pair.
        for (Laser l : lasers) {
            for (Dose x : doses) {
                long days = d(x.date(), l.date());
                if (days < 0) continue;
                if (l.device().isLight() && !x.touchUp() && days < min(RuleCode.LASER_AFTER_TOXIN_LIGHT)) {
                    check(RuleCode.LASER_AFTER_TOXIN_LIGHT, overrides, problems, l.id(), x.id());
                }
                if (l.device().isLight() && x.touchUp() && days < min(RuleCode.LASER_AFTER_TOUCH_UP)) {
                    check(RuleCode.LASER_AFTER_TOUCH_UP, overrides, problems, l.id(), x.id());
                }
                if (!l.device().isLight() && days < min(RuleCode.LASER_AFTER_TOXIN_ABLATIVE)) {
                    check(RuleCode.LASER_AFTER_TOXIN_ABLATIVE, overrides, problems, l.id(), x.id());
                }
                if (!l.device().isLight() && x.periocular() && days < min(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN)) {
                    check(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN, overrides, problems, l.id(), x.id());
                }
                if (l.zones().contains(Zone.NECK) && x.has(Site.PLATYSMA) && days < min(RuleCode.LASER_NECK_AFTER_PLATYSMA)) {
                    check(RuleCode.LASER_NECK_AFTER_PLATYSMA, overrides, problems, l.id(), x.id());
                }
            }
            for (Laser o : lasers) {
                if (o == l || l.series() == null || !l.series().equals(o.series())) continue;
                boolean before = o.at().isBefore(l.at()) || (o.at().equals(l.at()) && o.seq() < l.seq());
                if (before && d(o.date(), l.date()) < min(RuleCode.LASER_SERIES_SPACING)) {
                    check(RuleCode.LASER_SERIES_SPACING, overrides, problems, l.id(), o.id());
                }
            }
            for (Effect e : effects) {
                if (e.seq() > l.seq()) continue; // reported after the laser was recorded: a fact, never refused
                LocalDate onset = e.onset().atZone(ZoneOffset.UTC).toLocalDate();
                boolean open = !onset.isAfter(l.date()) && resolutions.stream()
                        .filter(r -> r.sideEffectId().equals(e.sideEffectId()))
                        .noneMatch(r -> !r.at().atZone(ZoneOffset.UTC).toLocalDate().isAfter(l.date()));
                if (!open) continue;
                if (l.device() == LaserDeviceClass.FRACTIONAL_ABLATIVE && e.type() == SideEffectType.BRUISING
                        && l.zones().stream().anyMatch(z -> z.overlaps(e.zone()))) {
                    check(RuleCode.LASER_OVER_OPEN_BRUISE, overrides, problems, l.id(), e.id());
                }
                if (e.type().isPerioralFunctionChange() && l.zones().stream().anyMatch(z -> z.overlaps(Zone.PERIORAL))) {
                    check(RuleCode.PERIORAL_LASER_DURING_FUNCTION_CHANGE, overrides, problems, l.id(), e.id());
                }
            }
        }

        // Cycle rules.
        List<Dose> initials = doses.stream().filter(x -> !x.touchUp()).toList();
        for (int i = 1; i < initials.size(); i++) {
            if (d(initials.get(i - 1).date(), initials.get(i).date()) < min(RuleCode.RETREATMENT_TOO_SOON)) {
                check(RuleCode.RETREATMENT_TOO_SOON, overrides, problems, initials.get(i).id(), initials.get(i - 1).id());
            }
        }
        for (Dose t : doses) {
            if (!t.touchUp()) continue;
            Dose start = null;
            // Its cycle: opened by the last initial injection before it in ledger order (CycleModel).
            for (Dose i : initials) if (order.compare(i, t) < 0) start = i;
            if (start == null || d(start.date(), t.date()) > POLICY.touchUpWindowCloseDays()) {
                check(RuleCode.TOUCH_UP_WITHOUT_CYCLE, overrides, problems, t.id(), start == null ? null : start.id());
            } else if (d(start.date(), t.date()) < min(RuleCode.TOUCH_UP_TOO_EARLY)) {
                check(RuleCode.TOUCH_UP_TOO_EARLY, overrides, problems, t.id(), start.id());
            }
        }

        // Dose cap: each entry's 90-day window (entries up to and including it) against the cap.
        BigDecimal cap = POLICY.doseCaps().get(Product.ONABOTULINUMTOXIN_A);
        for (Dose s : doses) {
            List<String> involved = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (Dose x : doses) {
                long days = d(x.date(), s.date());
                if (order.compare(x, s) <= 0 && days >= 0 && days < POLICY.doseCapWindowDays()) {
                    involved.add(x.id());
                    total = total.add(x.units());
                }
            }
            if (total.compareTo(cap) > 0) {
                boolean ok = involved.stream().anyMatch(id -> overrides.contains(new Overridden(RuleCode.CUMULATIVE_DOSE_CAP, id)));
                if (!ok) problems.add("CUMULATIVE_DOSE_CAP " + s.id() + " (" + total + " U) not overridden by " + involved);
            }
        }
        return problems;
    }

    private static void check(RuleCode rule, Set<Overridden> overrides, List<String> problems, String subject, String cause) {
        if (overrides.contains(new Overridden(rule, subject))) return;
        if (cause != null && overrides.contains(new Overridden(rule, cause))) return;
        problems.add(rule + " between " + subject + " and " + cause + " is not overridden");
    }
}
