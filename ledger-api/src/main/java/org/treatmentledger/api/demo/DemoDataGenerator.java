package org.treatmentledger.api.demo;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.api.*;
import org.treatmentledger.core.rules.RuleViolationException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.HexFormat;
import org.axonframework.commandhandling.CommandExecutionException;

/**
 * Fills the ledger with a realistic clinic through the same command gateway the HTTP API uses
 * ({@code --ledger.demo.generate=true}, sizes from {@code ledger.demo.patients} and {@code ledger.demo.years},
 * seed {@code ledger.demo.seed}). Cycles every 3-5 months with stress-shortened ones, two-week touch-ups,
 * movement returns, side effects, laser series spaced 4-6 weeks, and a few overrides and corrections. It
 * plans inside the rules; the only rule-breaking entries are clinician overrides. A refusal (a plan that
 * still breaks a rule) is skipped and counted, never forced.
 */
@Component
@ConditionalOnProperty(name = "ledger.demo.generate", havingValue = "true")
public class DemoDataGenerator implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoDataGenerator.class);

    private final CommandGateway commands;
    private final int patients;
    private final int years;
    private final long seed;
    private int sent;
    private int skipped;

    public DemoDataGenerator(CommandGateway commands,
                             @Value("${ledger.demo.patients:300}") int patients,
                             @Value("${ledger.demo.years:3}") int years,
                             @Value("${ledger.demo.seed:42}") long seed) {
        this.commands = commands;
        this.patients = patients;
        this.years = years;
        this.seed = seed;
    }

    @Override
    public void run(ApplicationArguments args) {
        long started = System.nanoTime();
        Random random = new Random(seed);
        Instant now = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        Instant start = now.minus(365L * years, ChronoUnit.DAYS);
        for (int i = 0; i < patients; i++) {
            patient(random, start, now);
        }
        log.info("Demo data: {} patients, {} commands accepted, {} plans refused and skipped, in {} s",
                patients, sent, skipped, (System.nanoTime() - started) / 1_000_000_000);
    }

    private void patient(Random random, Instant start, Instant end) {
        PatientId id = PatientId.random();
        Instant registered = start.plus(random.nextInt(180), ChronoUnit.DAYS).plus(9 + random.nextInt(8), ChronoUnit.HOURS);
        Sex sex = random.nextInt(10) < 8 ? Sex.FEMALE : (random.nextInt(10) < 9 ? Sex.MALE : Sex.OTHER);
        if (!send("injector", new RegisterPatient(id, "clinic-" + (1 + random.nextInt(2)) /* the demo users' two clinics */, sex,
                1950 + random.nextInt(55), null, registered))) return;

        Product product = pick(random, Product.values(), new int[]{50, 20, 20, 7, 3});
        send("injector", new RecordPhotoCheckpoint(id, uuid(), new PhotoCheckpointDetails(registered.plus(10, ChronoUnit.MINUTES),
                CheckpointKind.BASELINE, List.of(image(random, "FRONT")))));
        boolean laserPatient = random.nextInt(3) == 0;
        String seriesId = laserPatient ? "series-" + uuid().substring(0, 8) : null;
        int seriesDone = 0;
        Instant cycleStart = registered.plus(1, ChronoUnit.HOURS);
        int cycle = 0;
        while (cycleStart.isBefore(end)) {
            cycle++;
            boolean stressed = random.nextInt(5) == 0;
            if (stressed && cycle > 1) {
                send("injector", new ReportCycleFactor(id, uuid(), new CycleFactorDetails(
                        cycleStart.minus(20 + random.nextInt(20), ChronoUnit.DAYS), CycleFactor.STRESS, null)));
            }
            DoseIntent intent = cycle == 1 ? DoseIntent.LIGHT : (random.nextInt(4) == 0 ? DoseIntent.LIGHT : DoseIntent.FULL);
            String injectionId = uuid();
            List<SiteDose> sites = sites(random, product, intent);
            RecordInjection injection = new RecordInjection(id, injectionId, new InjectionDetails(cycleStart, product,
                    lot(random, cycleStart), intent, Indication.COSMETIC, sites, new BigDecimal("2.5"), null), null);
            if (!send("injector", injection)) break;
            if (random.nextInt(12) == 0) {
                // A charting error found the next day: amended by a clinician with the corrected units.
                List<SiteDose> corrected = sites.stream().map(s -> new SiteDose(s.site(), Units.of(s.units().value().add(BigDecimal.valueOf(2))))).toList();
                send("clinician", new AmendEntry(id, uuid(), injectionId, "Units charted on the wrong line",
                        new InjectionDetails(cycleStart, product, lot(random, cycleStart), intent, Indication.COSMETIC, corrected,
                                new BigDecimal("2.5"), null), null));
            }
            Instant review = cycleStart.plus(14 + random.nextInt(5), ChronoUnit.DAYS);
            if (review.isBefore(end)) {
                send("injector", new RecordPhotoCheckpoint(id, uuid(), new PhotoCheckpointDetails(review,
                        CheckpointKind.POST_INJECTION_REVIEW, List.of(image(random, "FRONT")))));
                if (random.nextInt(4) == 0) {
                    send("injector", new RecordTouchUp(id, uuid(), new TouchUpDetails(review.plus(1, ChronoUnit.HOURS), product,
                            lot(random, review), Indication.COSMETIC, List.of(new SiteDose(Site.GLABELLA, Units.of(4))),
                            new BigDecimal("2.5"), null), null));
                }
            }
            if (random.nextInt(8) == 0) {
                Instant onset = cycleStart.plus(1, ChronoUnit.DAYS);
                String sideEffectId = uuid();
                SideEffectType type = random.nextInt(3) == 0 ? SideEffectType.HEADACHE : SideEffectType.BRUISING;
                if (onset.isBefore(end) && send("injector", new ReportSideEffect(id, uuid(), sideEffectId,
                        new SideEffectDetails(onset, type, Severity.MILD, Zone.FOREHEAD, injectionId, null)))) {
                    Instant resolved = onset.plus(3 + random.nextInt(7), ChronoUnit.DAYS);
                    if (resolved.isBefore(end)) {
                        send("injector", new ResolveSideEffect(id, uuid(), sideEffectId, new SideEffectResolutionDetails(resolved, null)));
                    }
                }
            }
            int duration = (intent == DoseIntent.FULL ? 95 : 110) + random.nextInt(35) - (stressed ? 20 : 0);
            Instant movement = cycleStart.plus(duration, ChronoUnit.DAYS);
            if (movement.isBefore(end)) {
                send("injector", new ObserveMovementReturn(id, uuid(), new MovementReturnDetails(movement, List.of(Site.GLABELLA))));
            }
            if (laserPatient && seriesDone < 3) {
                Instant laserAt = cycleStart.plus(12 + random.nextInt(10), ChronoUnit.DAYS);
                for (int s = 0; s < 2 && seriesDone < 3 && laserAt.isBefore(end); s++) {
                    boolean early = random.nextInt(15) == 0;
                    Instant at = early ? cycleStart.plus(6, ChronoUnit.DAYS) : laserAt;
                    OverrideRequest override = early ? new OverrideRequest("Patient leaves for six months; risks discussed") : null;
                    if (send(early ? "clinician" : "injector", new RecordLaserSession(id, uuid(), new LaserSessionDetails(at,
                            LaserDeviceClass.BROADBAND_LIGHT, "BBL Hero", List.of(Zone.CHEEKS, Zone.NOSE), 2, null, null,
                            new BigDecimal("12"), 560, seriesId, 3, null), override))) {
                        seriesDone++;
                    }
                    laserAt = laserAt.plus(29 + random.nextInt(12), ChronoUnit.DAYS);
                }
            }
            cycleStart = movement.plus(random.nextInt(15), ChronoUnit.DAYS);
            if (cycleStart.isBefore(injection.details().occurredAt().plus(85, ChronoUnit.DAYS))) {
                cycleStart = injection.details().occurredAt().plus(85, ChronoUnit.DAYS);
            }
        }
    }

    private static List<SiteDose> sites(Random random, Product product, DoseIntent intent) {
        int scale = product == Product.ABOBOTULINUMTOXIN_A ? 25 : 10;
        int light = intent == DoseIntent.FULL ? 10 : 7;
        List<SiteDose> sites = new ArrayList<>();
        sites.add(new SiteDose(Site.GLABELLA, Units.of((double) (light + random.nextInt(6)) * scale / 10)));
        if (random.nextBoolean()) sites.add(new SiteDose(Site.FOREHEAD, Units.of((double) (light - 2 + random.nextInt(4)) * scale / 10)));
        if (random.nextBoolean()) {
            int side = (light - 3 + random.nextInt(3)) * scale / 10;
            sites.add(new SiteDose(Site.CROWS_FEET_LEFT, Units.of(side)));
            sites.add(new SiteDose(Site.CROWS_FEET_RIGHT, Units.of(side)));
        }
        return sites;
    }

    private static Lot lot(Random random, Instant at) {
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        return new Lot("LOT-" + day.getYear() + "-" + (char) ('A' + random.nextInt(6)) + (100 + random.nextInt(20)),
                day.plusMonths(6 + random.nextInt(12)));
    }

    private static PhotoImage image(Random random, String view) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new PhotoImage(view, HexFormat.of().formatHex(bytes), "s3://demo-photos/" + UUID.randomUUID() + ".jpg");
    }

    private static <T> T pick(Random random, T[] values, int[] weights) {
        int total = 0;
        for (int w : weights) total += w;
        int r = random.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            r -= weights[i];
            if (r < 0) return values[i];
        }
        return values[values.length - 1];
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private boolean send(String user, Object command) {
        try {
            commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(MetaData.with(PatientEvent.RECORDED_BY, user)));
            sent++;
            return true;
        } catch (RuleViolationException | CommandExecutionException e) {
            skipped++;
            log.debug("Demo plan refused ({}), skipped", e.getClass().getSimpleName());
            return false;
        }
    }
}
