package org.treatmentledger.core.patient;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionDetails;
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
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.Violation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/** Shared fixture and command builders: dates are local (UTC) dates, each entry at 10:00. */
abstract class PatientTestSupport {

    static final PatientId PATIENT = PatientId.of("patient-1");
    static final Instant REGISTERED = Instant.parse("2025-01-01T08:00:00Z");
    static final Instant NOW = Instant.parse("2026-12-31T12:00:00Z");
    static final String CLINICIAN = "dr.house";
    static final Map<String, Object> AS_CLINICIAN = Map.of(PatientEvent.RECORDED_BY, CLINICIAN);
    static final Lot LOT = new Lot("C1234", LocalDate.parse("2030-01-01"));

    FixtureConfiguration<Patient> fixture;

    @BeforeEach
    void setUpFixture() {
        fixture = new AggregateTestFixture<>(Patient.class);
        fixture.registerInjectableResource(ClinicPolicy.defaults());
        fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Instant at(String date) { return LocalDate.parse(date).atTime(10, 0).toInstant(ZoneOffset.UTC); }

    static RegisterPatient register() { return register(Sex.FEMALE); }

    static RegisterPatient register(Sex sex) {
        return new RegisterPatient(PATIENT, "clinic-1", sex, 1980, "ext-1", REGISTERED);
    }

    static SiteDose dose(Site site, double units) { return new SiteDose(site, Units.of(units)); }

    static List<SiteDose> glabella() { return List.of(dose(Site.GLABELLA, 20)); }

    static InjectionDetails injectionDetails(String date, List<SiteDose> sites) {
        return new InjectionDetails(at(date), Product.ONABOTULINUMTOXIN_A, LOT, DoseIntent.LIGHT,
                Indication.COSMETIC, sites, null, null);
    }

    static RecordInjection injection(String id, String date) { return injection(id, date, glabella()); }

    static RecordInjection injection(String id, String date, List<SiteDose> sites) {
        return new RecordInjection(PATIENT, id, injectionDetails(date, sites), null);
    }

    static RecordInjection injection(String id, InjectionDetails details) {
        return new RecordInjection(PATIENT, id, details, null);
    }

    static TouchUpDetails touchUpDetails(String date, List<SiteDose> sites) {
        return new TouchUpDetails(at(date), Product.ONABOTULINUMTOXIN_A, LOT, Indication.COSMETIC, sites, null, null);
    }

    static RecordTouchUp touchUp(String id, String date) { return touchUp(id, date, List.of(dose(Site.GLABELLA, 4))); }

    static RecordTouchUp touchUp(String id, String date, List<SiteDose> sites) {
        return new RecordTouchUp(PATIENT, id, touchUpDetails(date, sites), null);
    }

    static LaserSessionDetails laserDetails(String date, LaserDeviceClass device, String series, Zone... zones) {
        return new LaserSessionDetails(at(date), device, "model-x", Arrays.asList(zones), 1, null, null, null, null,
                series, null, "op-1");
    }

    static RecordLaserSession laser(String id, String date, LaserDeviceClass device, Zone... zones) {
        return new RecordLaserSession(PATIENT, id, laserDetails(date, device, null, zones), null);
    }

    static RecordLaserSession seriesLaser(String id, String date, String series) {
        return new RecordLaserSession(PATIENT, id, laserDetails(date, LaserDeviceClass.BROADBAND_LIGHT, series,
                Zone.CHEEKS), null);
    }

    static ReportSideEffect sideEffect(String id, String sideEffectId, String date, SideEffectType type, Zone zone) {
        return new ReportSideEffect(PATIENT, id, sideEffectId,
                new SideEffectDetails(at(date), type, Severity.MILD, zone, null, null));
    }

    static ResolveSideEffect resolve(String id, String sideEffectId, String date) {
        return new ResolveSideEffect(PATIENT, id, sideEffectId, new SideEffectResolutionDetails(at(date), null));
    }

    static final OverrideRequest OVERRIDE = new OverrideRequest("Patient travels abroad; risk discussed and accepted");

    static RecordInjection overridden(RecordInjection c) { return new RecordInjection(c.patientId(), c.entryId(), c.details(), OVERRIDE); }

    static RecordTouchUp overridden(RecordTouchUp c) { return new RecordTouchUp(c.patientId(), c.entryId(), c.details(), OVERRIDE); }

    static RecordLaserSession overridden(RecordLaserSession c) {
        return new RecordLaserSession(c.patientId(), c.entryId(), c.details(), OVERRIDE);
    }

    /** A command as the API sends it: with the authenticated user in the metadata. */
    static Object asClinician(Object command) {
        return GenericCommandMessage.asCommandMessage(command).andMetaData(AS_CLINICIAN);
    }

    /** The refusal: primary code {@code code}, overall earliest allowed date {@code earliest} (null: none). */
    static Matcher<RuleViolationException> refused(RuleCode code, String earliest) {
        LocalDate expected = earliest == null ? null : LocalDate.parse(earliest);
        return new CustomTypeSafeMatcher<>("refusal " + code + " earliest " + expected) {
            @Override
            protected boolean matchesSafely(RuleViolationException e) {
                return e.code() == code && Objects.equals(e.earliestAllowed(), expected)
                        && e.violations().stream().filter(v -> v.code() == code)
                        .allMatch(v -> v.detail() != null && !v.detail().isBlank());
            }
        };
    }

    /** The refusal names {@code code} with this subject and cause among its violations. */
    static Matcher<RuleViolationException> refusedFor(RuleCode code, String subject, String cause, String earliest) {
        LocalDate expected = earliest == null ? null : LocalDate.parse(earliest);
        return new CustomTypeSafeMatcher<>("refusal " + code + " subject " + subject + " cause " + cause
                + " earliest " + expected) {
            @Override
            protected boolean matchesSafely(RuleViolationException e) {
                for (Violation v : e.violations()) {
                    if (v.code() == code && Objects.equals(v.subjectEntryId(), subject)
                            && Objects.equals(v.causeEntryId(), cause)) {
                        return Objects.equals(e.earliestAllowed(), expected);
                    }
                }
                return false;
            }
        };
    }

    /** The accepted events: RuleOverridden for each of {@code rules} (in that order), then one event of {@code type}. */
    static Matcher<List<EventMessage<?>>> overriddenThen(Class<?> type, String entryId, RuleCode... rules) {
        return new CustomTypeSafeMatcher<>("overrides " + Arrays.toString(rules) + " then " + type.getSimpleName()) {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events) {
                if (events.size() != rules.length + 1) return false;
                List<RuleCode> seen = new ArrayList<>();
                for (int i = 0; i < rules.length; i++) {
                    if (!(events.get(i).getPayload() instanceof RuleOverridden o)) return false;
                    if (!o.overriddenEntryId().equals(entryId) || !CLINICIAN.equals(o.by())
                            || !o.reason().equals(OVERRIDE.reason())
                            || !o.entryId().equals(Patient.overrideEntryId(entryId, o.rule()))) return false;
                    seen.add(o.rule());
                }
                Object last = events.get(rules.length).getPayload();
                return seen.equals(List.of(rules)) && type.isInstance(last)
                        && ((PatientEvent) last).entryId().equals(entryId);
            }
        };
    }

    /** The accepted events' payloads satisfy {@code check}. */
    static Matcher<List<EventMessage<?>>> payloads(String description, Predicate<List<Object>> check) {
        return new CustomTypeSafeMatcher<>(description) {
            @Override
            protected boolean matchesSafely(List<EventMessage<?>> events) {
                List<Object> payloads = new ArrayList<>();
                for (EventMessage<?> e : events) payloads.add(e.getPayload());
                return check.test(payloads);
            }
        };
    }
}
