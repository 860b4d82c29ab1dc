package org.treatmentledger.projections;

import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.projections.ledger.PatientLedger;
import org.treatmentledger.projections.ledger.RecordedEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Builds a patient's recorded events for tests: dates are ISO dates at 10:00 UTC, recorded an hour later. */
public final class TestLedger {

    public final PatientId patient;
    private final List<RecordedEvent> events = new ArrayList<>();
    private long sequence;
    private int ids;

    public TestLedger(String patientId) {
        this.patient = PatientId.of(patientId);
    }

    public static TestLedger registered(String patientId, String date) {
        TestLedger t = new TestLedger(patientId);
        t.record(new PatientRegistered(t.patient, t.nextId(), at(date), "clinic-1", Sex.FEMALE, 1980, null));
        return t;
    }

    public static Instant at(String date) {
        return LocalDate.parse(date).atTime(10, 0).toInstant(ZoneOffset.UTC);
    }

    public static SiteDose dose(Site site, double units) {
        return new SiteDose(site, Units.of(units));
    }

    public String nextId() {
        return patient.value() + "-e" + (++ids);
    }

    public TestLedger record(PatientEvent event) {
        return record(event, event.occurredAt().plus(Duration.ofHours(1)), "injector");
    }

    public TestLedger record(PatientEvent event, Instant recordedAt, String by) {
        events.add(new RecordedEvent(sequence++, event, recordedAt, by));
        return this;
    }

    public List<RecordedEvent> events() { return List.copyOf(events); }

    public PatientLedger ledger() { return PatientLedger.of(events); }

    public InjectionRecorded injection(String entryId, String date, DoseIntent intent, Product product, String lot,
                                       SiteDose... sites) {
        return new InjectionRecorded(patient, entryId, at(date), 0, product, new Lot(lot, LocalDate.parse("2030-01-01")),
                null, intent, Indication.COSMETIC, List.of(sites), null, List.of());
    }

    public String inject(String date, DoseIntent intent, SiteDose... sites) {
        return inject(date, intent, Product.ONABOTULINUMTOXIN_A, "LOT-A", sites);
    }

    public String inject(String date, DoseIntent intent, Product product, String lot, SiteDose... sites) {
        String id = nextId();
        record(injection(id, date, intent, product, lot, sites));
        return id;
    }

    public TouchUpRecorded touchUpEvent(String entryId, String date, Product product, String lot, SiteDose... sites) {
        return new TouchUpRecorded(patient, entryId, at(date), 0, product, new Lot(lot, LocalDate.parse("2030-01-01")),
                null, Indication.COSMETIC, List.of(sites), null, List.of());
    }

    public String touchUp(String date, SiteDose... sites) {
        return touchUp(date, Product.ONABOTULINUMTOXIN_A, "LOT-A", sites);
    }

    public String touchUp(String date, Product product, String lot, SiteDose... sites) {
        String id = nextId();
        record(touchUpEvent(id, date, product, lot, sites));
        return id;
    }

    public String laser(String date, LaserDeviceClass deviceClass, String seriesId, Integer planned, Zone... zones) {
        String id = nextId();
        record(new LaserSessionRecorded(patient, id, at(date), deviceClass, "model", List.of(zones), 1, null, null,
                null, null, seriesId, planned, "operator", List.of()));
        return id;
    }

    public String photo(String date, CheckpointKind kind) {
        String id = nextId();
        record(new PhotoCheckpointRecorded(patient, id, at(date), kind,
                List.of(new PhotoImage("FRONT", "ab".repeat(32), "s3://photos/" + id))));
        return id;
    }

    public String factor(String date, CycleFactor factor) {
        String id = nextId();
        record(new CycleFactorReported(patient, id, at(date), factor, null));
        return id;
    }

    public String movementReturn(String date) {
        String id = nextId();
        record(new MovementReturnObserved(patient, id, at(date), List.of()));
        return id;
    }

    public String voidEntry(String target, Instant recordedAt) {
        String id = nextId();
        record(new EntryVoided(patient, id, recordedAt, target, "charted on the wrong patient"), recordedAt, "clinician");
        return id;
    }

    public String amend(String target, ClinicalEntry replacement, Instant recordedAt) {
        String id = nextId();
        record(new EntryAmended(patient, id, recordedAt, target, "typo in units", replacement), recordedAt, "clinician");
        return id;
    }

    /** Records an override just before the entry it allows, as the aggregate does; returns the override's id. */
    public String override(String allowedEntryId, String date, RuleCode rule) {
        String id = nextId();
        record(new RuleOverridden(patient, id, at(date), allowedEntryId, rule, "patient travelling", "clinician",
                null, null));
        return id;
    }
}
