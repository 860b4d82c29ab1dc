package org.treatmentledger.api.rebuild;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.treatmentledger.api.RecordedAtClock;
import org.axonframework.messaging.MetaData;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorDetails;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionDetails;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.MovementReturnDetails;
import org.treatmentledger.core.api.ObserveMovementReturn;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PhotoCheckpointDetails;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordLaserSession;
import org.treatmentledger.core.api.RecordPhotoCheckpoint;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportCycleFactor;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.api.Zone;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Records a reproducible multi-patient history through the command bus (so the aggregate's rules, overrides
 * and corrections all run): cycles of injections with touch-ups, review photos, laser series, cycle factors,
 * movement returns, then a void and an amend. Every treatment carries an override reason, so a rule the random
 * timing happens to break is recorded as an override instead of refusing.
 */
public final class LedgerHistoryGenerator {

    static final Instant EPOCH = Instant.parse("2024-01-01T09:00:00Z");
    static final List<String> LOTS = List.of("LOT-0", "LOT-1", "LOT-2", "LOT-3");

    private final CommandGateway commands;
    private final Random random;
    public final List<PatientId> patients = new ArrayList<>();
    public final Set<String> lotsUsed = new TreeSet<>();
    /** An instant in the middle of the recorded history, for asOf comparisons. */
    public Instant midpoint;

    public LedgerHistoryGenerator(CommandGateway commands, long seed) {
        this.commands = commands;
        this.random = new Random(seed);
    }

    public void generate(int patientCount, int cycles) {
        List<String> firstInjections = new ArrayList<>();
        List<String> touchUps = new ArrayList<>();
        for (int p = 0; p < patientCount; p++) {
            PatientId id = PatientId.of("it-" + p + "-" + UUID.randomUUID());
            patients.add(id);
            Instant registered = EPOCH.plus(Duration.ofDays(p));
            send(new RegisterPatient(id, "clinic-1", Sex.values()[p % 3], 1970 + p, "ext-" + p, registered));
            send(new RecordPhotoCheckpoint(id, entry(), new PhotoCheckpointDetails(registered.plus(Duration.ofDays(1)),
                    CheckpointKind.BASELINE, List.of(image()))));
            Instant start = registered.plus(Duration.ofDays(2));
            String seriesId = "S-" + p;
            for (int c = 0; c < cycles; c++) {
                Product product = List.of(Product.ONABOTULINUMTOXIN_A, Product.ABOBOTULINUMTOXIN_A,
                        Product.INCOBOTULINUMTOXIN_A).get(random.nextInt(3));
                String lot = LOTS.get(random.nextInt(LOTS.size()));
                lotsUsed.add(lot);
                String injection = entry();
                if (c == 0) firstInjections.add(injection);
                send(new RecordInjection(id, injection, new InjectionDetails(start, product,
                        new Lot(lot, LocalDate.parse("2030-01-01")), DoseIntent.values()[random.nextInt(3)],
                        Indication.COSMETIC, sites(product), null, null), override()));
                send(new RecordPhotoCheckpoint(id, entry(), new PhotoCheckpointDetails(start.plus(Duration.ofDays(14)),
                        CheckpointKind.POST_INJECTION_REVIEW, List.of(image()))));
                if (random.nextBoolean()) {
                    String touchUp = entry();
                    touchUps.add(touchUp);
                    send(new RecordTouchUp(id, touchUp, new TouchUpDetails(start.plus(Duration.ofDays(15 + random.nextInt(8))),
                            product, new Lot(lot, LocalDate.parse("2030-01-01")), Indication.COSMETIC,
                            List.of(new SiteDose(Site.FOREHEAD, Units.of(2 + random.nextInt(3)))), null, null), override()));
                }
                if (random.nextInt(3) > 0) {
                    send(new RecordLaserSession(id, entry(), new LaserSessionDetails(
                            start.plus(Duration.ofDays(30 + random.nextInt(10))),
                            LaserDeviceClass.values()[random.nextInt(3)], "model-x", List.of(Zone.CHEEKS), 2,
                            null, null, null, null, seriesId, null, "operator"), override()));
                }
                if (random.nextBoolean()) {
                    send(new ReportCycleFactor(id, entry(), new CycleFactorDetails(start.plus(Duration.ofDays(45)),
                            random.nextBoolean() ? CycleFactor.STRESS : CycleFactor.INTENSE_TRAINING, null)));
                }
                int interval = 90 + random.nextInt(50);
                if (random.nextInt(4) > 0) {
                    send(new ObserveMovementReturn(id, entry(), new MovementReturnDetails(
                            start.plus(Duration.ofDays(interval - 10)), List.of(Site.GLABELLA))));
                }
                start = start.plus(Duration.ofDays(interval));
            }
        }
        midpoint = RecordedAtClock.cutOff();
        // Corrections, recorded after the midpoint: one void and one amend.
        send(new VoidEntry(patients.get(0), entry(), touchUps.get(0), "charted on the wrong patient"));
        String amended = firstInjections.get(1);
        send(new AmendEntry(patients.get(1), entry(), amended, "units mis-typed",
                new InjectionDetails(EPOCH.plus(Duration.ofDays(1 + 2)), Product.ONABOTULINUMTOXIN_A,
                        new Lot("LOT-0", LocalDate.parse("2030-01-01")), DoseIntent.LIGHT, Indication.COSMETIC,
                        List.of(new SiteDose(Site.GLABELLA, Units.of(12))), null, null), override()));
        lotsUsed.add("LOT-0");
    }

    private List<SiteDose> sites(Product product) {
        int factor = product == Product.ABOBOTULINUMTOXIN_A ? 3 : 1;
        List<SiteDose> sites = new ArrayList<>();
        sites.add(new SiteDose(Site.GLABELLA, Units.of(factor * (10 + random.nextInt(11)))));
        if (random.nextBoolean()) sites.add(new SiteDose(Site.FOREHEAD, Units.of(factor * (6 + random.nextInt(8)))));
        if (random.nextBoolean()) {
            sites.add(new SiteDose(Site.CROWS_FEET_LEFT, Units.of(factor * 8)));
            sites.add(new SiteDose(Site.CROWS_FEET_RIGHT, Units.of(factor * 8)));
        }
        if (random.nextInt(5) == 0) sites.add(new SiteDose(Site.PLATYSMA, Units.of(factor * 20)));
        return sites;
    }

    private static String entry() {
        return UUID.randomUUID().toString();
    }

    private static PhotoImage image() {
        return new PhotoImage("FRONT", "0".repeat(64), "s3://photos/" + UUID.randomUUID());
    }

    private static OverrideRequest override() {
        return new OverrideRequest("generated history: clinician accepts the timing");
    }

    private void send(Object command) {
        commands.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(MetaData.with(PatientEvent.RECORDED_BY, "clinician")));
    }
}
