package org.treatmentledger.api.fhir;

import org.treatmentledger.core.api.*;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.projections.history.HistoryCalculator;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Patient streams as the read side keeps them, for the pure mapping tests and the bench. */
public final class LedgerSamples {

    private final PatientId patient = PatientId.random();
    private final List<RecordedEvent> events = new ArrayList<>();
    private final Instant start;
    private int ids;

    public LedgerSamples(Instant start) {
        this.start = start;
    }

    public PatientId patient() { return patient; }

    public Instant day(int d) { return start.plus(d, ChronoUnit.DAYS); }

    public String id() { return "e-" + (++ids) + "-" + patient.value().substring(0, 8); }

    public LedgerSamples add(PatientEvent event, String by) {
        events.add(new RecordedEvent(events.size(), event, event.occurredAt().plusSeconds(60 + events.size()), by));
        return this;
    }

    public List<RecordedEvent> events() { return events; }

    public PatientLedger ledger() { return PatientLedger.of(events); }

    public HistoryView history() {
        return new HistoryCalculator().history(patient.value(), ledger(), null);
    }

    public static Lot lot(String number, Instant at) {
        return new Lot(number, LocalDate.ofInstant(at, java.time.ZoneOffset.UTC).plusYears(1));
    }

    public static SiteDose dose(Site site, double units) { return new SiteDose(site, Units.of(units)); }

    /**
     * Every entry type, each correction and an override: an amended injection, a voided touch-up, a laser session
     * recorded under an override, photos, a side effect reported and resolved, a voided side effect, a cycle factor,
     * a movement return, a second product.
     */
    public static LedgerSamples everyEntryType(Instant start) {
        LedgerSamples s = new LedgerSamples(start);
        PatientId p = s.patient;
        s.add(new PatientRegistered(p, s.id(), s.day(0), "clinic-1", Sex.FEMALE, 1988, "MRN-1"), "injector");
        s.add(new PhotoCheckpointRecorded(p, s.id(), s.day(0).plusSeconds(600), CheckpointKind.BASELINE,
                List.of(new PhotoImage("FRONT", "a".repeat(64), "s3://photos/1.jpg"),
                        new PhotoImage("LEFT", "B".repeat(64), "s3://photos/2.jpg"))), "injector");
        String injection = s.id();
        InjectionRecorded first = new InjectionRecorded(p, injection, s.day(1), 1, Product.ONABOTULINUMTOXIN_A,
                lot("C1234", s.day(1)), new BigDecimal("2.5"), DoseIntent.LIGHT, Indication.COSMETIC,
                List.of(dose(Site.GLABELLA, 12), dose(Site.FOREHEAD, 8), dose(Site.CROWS_FEET_LEFT, 6),
                        dose(Site.CROWS_FEET_RIGHT, 6)), null, List.of());
        s.add(first, "injector");
        s.add(new EntryAmended(p, s.id(), s.day(2), injection, "Forehead charted as 8, was 10",
                new InjectionRecorded(p, injection, s.day(1), 1, Product.ONABOTULINUMTOXIN_A, lot("C1234", s.day(1)),
                        new BigDecimal("2.5"), DoseIntent.LIGHT, Indication.COSMETIC,
                        List.of(dose(Site.GLABELLA, 12), dose(Site.FOREHEAD, 10), dose(Site.CROWS_FEET_LEFT, 6),
                                dose(Site.CROWS_FEET_RIGHT, 6)), "dr-injector", List.of())), "clinician");
        String bruise = s.id();
        s.add(new SideEffectReported(p, bruise, "se-1-" + p.value().substring(0, 8), s.day(2), SideEffectType.BRUISING,
                Severity.MILD, Zone.FOREHEAD, injection, "small bruise"), "injector");
        s.add(new SideEffectResolved(p, s.id(), "se-1-" + p.value().substring(0, 8), s.day(6), null), "injector");
        String wrong = s.id();
        s.add(new SideEffectReported(p, wrong, "se-2-" + p.value().substring(0, 8), s.day(3), SideEffectType.HEADACHE,
                Severity.MODERATE, null, null, null), "injector");
        s.add(new EntryVoided(p, s.id(), s.day(4), wrong, "Recorded on the wrong patient"), "clinician");
        s.add(new PhotoCheckpointRecorded(p, s.id(), s.day(15), CheckpointKind.POST_INJECTION_REVIEW,
                List.of(new PhotoImage("FRONT", "c".repeat(64), "s3://photos/3.jpg"))), "injector");
        String touchUp = s.id();
        s.add(new TouchUpRecorded(p, touchUp, s.day(15).plusSeconds(3600), 1, Product.ONABOTULINUMTOXIN_A,
                lot("C1234", s.day(15)), new BigDecimal("2.5"), Indication.COSMETIC, List.of(dose(Site.FOREHEAD, 2)),
                null, List.of()), "injector");
        String touchUp2 = s.id();
        s.add(new TouchUpRecorded(p, touchUp2, s.day(15).plusSeconds(7200), 1, Product.ONABOTULINUMTOXIN_A,
                lot("C1234", s.day(15)), null, Indication.COSMETIC, List.of(dose(Site.GLABELLA, 2.5)), null, List.of()),
                "injector");
        s.add(new EntryVoided(p, s.id(), s.day(16), touchUp2, "Duplicate of the touch-up above"), "clinician");
        String laser = s.id();
        s.add(new RuleOverridden(p, s.id(), s.day(17), laser, RuleCode.LASER_AFTER_TOUCH_UP, "Travels abroad",
                "clinician", touchUp, LocalDate.ofInstant(s.day(18), java.time.ZoneOffset.UTC)), "clinician");
        s.add(new LaserSessionRecorded(p, laser, s.day(17), LaserDeviceClass.NON_ABLATIVE_FRACTIONAL, "Fraxel Dual",
                List.of(Zone.PERIOCULAR, Zone.PERIORAL), 4, new BigDecimal("20"), new BigDecimal("15"), null, 1550,
                "series-1", 2, "laser-nurse", List.of()), "clinician");
        s.add(new LaserSessionRecorded(p, s.id(), s.day(50), LaserDeviceClass.BROADBAND_LIGHT, null,
                List.of(Zone.CHEEKS), null, null, null, new BigDecimal("12.5"), null, null, null, null, List.of()), "injector");
        s.add(new CycleFactorReported(p, s.id(), s.day(60), CycleFactor.STRESS, "exams"), "injector");
        s.add(new MovementReturnObserved(p, s.id(), s.day(100), List.of(Site.GLABELLA, Site.FOREHEAD)), "injector");
        s.add(new InjectionRecorded(p, s.id(), s.day(110), 2, Product.ABOBOTULINUMTOXIN_A, lot("D-77", s.day(110)),
                null, DoseIntent.FULL, Indication.THERAPEUTIC, List.of(dose(Site.MASSETER_LEFT, 50),
                dose(Site.MASSETER_RIGHT, 50), dose(Site.GLABELLA, 2.5)), null, List.of()), "injector");
        return s;
    }
}
