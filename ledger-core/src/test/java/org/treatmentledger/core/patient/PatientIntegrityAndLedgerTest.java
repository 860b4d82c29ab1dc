package org.treatmentledger.core.patient;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.Replacement;
import org.treatmentledger.core.api.DescribeEntry;
import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.RuleOverridden;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.api.Zone;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.time.Instant;
import org.treatmentledger.core.api.Advisory;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.rules.RuleCode;

import static org.treatmentledger.core.api.LaserDeviceClass.BROADBAND_LIGHT;
import static org.treatmentledger.core.rules.RuleCode.AMEND_TYPE_MISMATCH;
import static org.treatmentledger.core.rules.RuleCode.BEFORE_REGISTRATION;
import static org.treatmentledger.core.rules.RuleCode.DUPLICATE_ENTRY_ID;
import static org.treatmentledger.core.rules.RuleCode.ENTRY_ALREADY_VOIDED;
import static org.treatmentledger.core.rules.RuleCode.ENTRY_NOT_FOUND;
import static org.treatmentledger.core.rules.RuleCode.EXPIRED_LOT;
import static org.treatmentledger.core.rules.RuleCode.FUTURE_EVENT;
import static org.treatmentledger.core.rules.RuleCode.INVALID_UNITS;
import static org.treatmentledger.core.rules.RuleCode.LASER_AFTER_TOXIN_LIGHT;
import static org.treatmentledger.core.rules.RuleCode.NOT_CORRECTABLE;
import static org.treatmentledger.core.rules.RuleCode.RESOLUTION_BEFORE_ONSET;
import static org.treatmentledger.core.rules.RuleCode.SIDE_EFFECT_ALREADY_RESOLVED;
import static org.treatmentledger.core.rules.RuleCode.TOUCH_UP_WITHOUT_CYCLE;

/** Integrity rules (never overridable), the ledger's own conflicts, amend and void. */
class PatientIntegrityAndLedgerTest extends PatientTestSupport {

    private static InjectionDetails injectionAt(Instant at, Lot lot, List<SiteDose> sites) {
        return new InjectionDetails(at, Product.ONABOTULINUMTOXIN_A, lot,
                DoseIntent.LIGHT, Indication.COSMETIC,
                sites, null, null);
    }

    @Test
    void registration_records_the_patient() {
        fixture.givenNoPriorActivity()
                .when(register(Sex.MALE))
                .expectEvents(new PatientRegistered(PATIENT, "patient-1:registration", REGISTERED, "clinic-1",
                        Sex.MALE, 1980, "ext-1"));
    }

    // ------------------------------------------------------------ FUTURE_EVENT

    @Test
    void FUTURE_EVENT_allows_the_tolerated_clock_skew() {
        fixture.givenCommands(register())
                .when(injection("inj", injectionAt(NOW.plus(Duration.ofMinutes(5)), LOT, glabella())), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void FUTURE_EVENT_refuses_beyond_the_skew_even_with_an_override() {
        fixture.givenCommands(register())
                .when(overridden(injection("inj", injectionAt(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), LOT,
                        glabella()))), AS_CLINICIAN)
                .expectException(refused(FUTURE_EVENT, null))
                .expectNoEvents();
    }

    @Test
    void FUTURE_EVENT_applies_to_facts_and_registration() {
        fixture.givenCommands(register())
                .when(new ReportSideEffect(PATIENT, "se", "s1", new SideEffectDetails(
                        NOW.plus(Duration.ofDays(1)), SideEffectType.HEADACHE, Severity.MILD, Zone.FOREHEAD, null, null)))
                .expectException(refused(FUTURE_EVENT, null))
                .expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(new RegisterPatient(PATIENT, "c", Sex.FEMALE, null, null,
                        NOW.plus(Duration.ofHours(1))))
                .expectException(refused(FUTURE_EVENT, null));
    }

    // ------------------------------------------------------------ BEFORE_REGISTRATION

    @Test
    void BEFORE_REGISTRATION_allows_the_registration_instant_and_refuses_the_second_before() {
        fixture.givenCommands(register())
                .when(injection("inj", injectionAt(REGISTERED, LOT, glabella())), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
        fixture.givenCommands(register())
                .when(overridden(injection("inj", injectionAt(REGISTERED.minusSeconds(1), LOT, glabella()))), AS_CLINICIAN)
                .expectException(refused(BEFORE_REGISTRATION, null))
                .expectNoEvents();
    }

    // ------------------------------------------------------------ EXPIRED_LOT

    @Test
    void EXPIRED_LOT_allows_the_expiry_day_and_refuses_the_day_after_even_with_an_override() {
        Lot lot = new Lot("L-9", LocalDate.parse("2026-03-01"));
        fixture.givenCommands(register())
                .when(injection("inj", injectionAt(at("2026-03-01"), lot, glabella())), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
        fixture.givenCommands(register())
                .when(overridden(injection("inj", injectionAt(at("2026-03-02"), lot, glabella()))), AS_CLINICIAN)
                .expectException(refused(EXPIRED_LOT, null))
                .expectExceptionMessage("EXPIRED_LOT: Lot L-9 expired on 2026-03-01, before the injection date 2026-03-02.")
                .expectNoEvents();
    }

    @Test
    void EXPIRED_LOT_applies_to_touch_ups() {
        Lot lot = new Lot("L-9", LocalDate.parse("2026-03-01"));
        fixture.givenCommands(register(), injection("inj", "2026-02-01"))
                .when(new RecordTouchUp(PATIENT, "tu", new TouchUpDetails(
                        at("2026-03-02"), Product.ONABOTULINUMTOXIN_A, lot,
                        Indication.COSMETIC, glabella(), null, null), OVERRIDE), AS_CLINICIAN)
                .expectException(refused(EXPIRED_LOT, null))
                .expectNoEvents();
    }

    // ------------------------------------------------------------ INVALID_UNITS

    @Test
    void INVALID_UNITS_refuses_zero_negative_duplicate_and_missing_sites() {
        for (var sites : List.of(List.of(dose(Site.GLABELLA, 0)), List.of(dose(Site.GLABELLA, -2)),
                List.of(dose(Site.GLABELLA, 10), dose(Site.GLABELLA, 4)), List.<SiteDose>of())) {
            fixture.givenCommands(register())
                    .when(overridden(injection("inj", "2026-03-01", sites)), AS_CLINICIAN)
                    .expectException(refused(INVALID_UNITS, null))
                    .expectNoEvents();
        }
    }

    @Test
    void INVALID_UNITS_allows_half_units() {
        fixture.givenCommands(register())
                .when(injection("inj", "2026-03-01", List.of(dose(Site.BUNNY_LINES, 2.5))), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void integrity_refusal_wins_over_timing_even_with_an_override() {
        fixture.givenCommands(register())
                .when(overridden(touchUp("tu", "2026-03-01", List.of(dose(Site.GLABELLA, 0)))), AS_CLINICIAN)
                .expectException(refused(INVALID_UNITS, null))
                .expectNoEvents();
    }

    // ------------------------------------------------------------ ledger conflicts

    @Test
    void DUPLICATE_ENTRY_ID_is_refused() {
        fixture.givenCommands(register(), injection("inj", "2026-01-01"))
                .when(laser("inj", "2026-05-01", BROADBAND_LIGHT, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refused(DUPLICATE_ENTRY_ID, null))
                .expectNoEvents();
        fixture.givenCommands(register(), sideEffect("se1", "s1", "2026-01-01", SideEffectType.HEADACHE, Zone.FOREHEAD))
                .when(sideEffect("se2", "s1", "2026-01-02", SideEffectType.HEADACHE, Zone.FOREHEAD))
                .expectException(refused(DUPLICATE_ENTRY_ID, null));
    }

    @Test
    void side_effects_are_facts_never_refused_by_timing_rules() {
        fixture.givenCommands(register(), laser("co2", "2026-03-05", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS))
                .when(sideEffect("se", "s1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS))
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void SIDE_EFFECT_ALREADY_RESOLVED_and_ENTRY_NOT_FOUND_for_resolutions() {
        fixture.givenCommands(register(), sideEffect("se", "s1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("r1", "s1", "2026-03-04"))
                .when(resolve("r2", "s1", "2026-03-05"))
                .expectException(refused(SIDE_EFFECT_ALREADY_RESOLVED, null));
        fixture.givenCommands(register())
                .when(resolve("r1", "nope", "2026-03-05"))
                .expectException(refused(ENTRY_NOT_FOUND, null));
    }

    @Test
    void RESOLUTION_BEFORE_ONSET_is_refused() {
        fixture.givenCommands(register(), sideEffect("se", "s1", "2026-03-05", SideEffectType.BRUISING, Zone.CHEEKS))
                .when(resolve("r1", "s1", "2026-03-04"))
                .expectException(refused(RESOLUTION_BEFORE_ONSET, null))
                .expectNoEvents();
    }

    @Test
    void RESOLUTION_BEFORE_ONSET_when_an_amend_moves_the_onset_after_the_resolution() {
        fixture.givenCommands(register(), sideEffect("se", "s1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("r1", "s1", "2026-03-04"))
                .when(new AmendEntry(PATIENT, "c1", "se", "wrong onset", new SideEffectDetails(at("2026-03-06"),
                        SideEffectType.BRUISING, Severity.MILD, Zone.CHEEKS, null, null), null))
                .expectException(refused(RESOLUTION_BEFORE_ONSET, null));
    }

    @Test
    void DescribeEntry_answers_the_type_or_ENTRY_NOT_FOUND() {
        fixture.givenCommands(register(), injection("inj", "2026-01-01"))
                .when(new DescribeEntry(PATIENT, "inj"))
                .expectResultMessagePayload(EntryType.INJECTION)
                .expectNoEvents();
        fixture.givenCommands(register())
                .when(new DescribeEntry(PATIENT, "nope"))
                .expectException(refused(ENTRY_NOT_FOUND, null));
    }

    // ------------------------------------------------------------ void

    @Test
    void void_records_the_correction_at_the_clock_time_and_frees_the_timeline() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .andGivenCommands(new VoidEntry(PATIENT, "v1", "inj", "charted on the wrong patient"))
                .when(laser("bbl", "2026-03-05", BROADBAND_LIGHT, Zone.CHEEKS), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(new VoidEntry(PATIENT, "v1", "inj", "charted on the wrong patient"))
                .expectEvents(new EntryVoided(PATIENT, "v1", NOW, "inj", "charted on the wrong patient"));
    }

    @Test
    void void_refusals_ENTRY_ALREADY_VOIDED_NOT_CORRECTABLE_ENTRY_NOT_FOUND() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"), new VoidEntry(PATIENT, "v1", "inj", "wrong"))
                .when(new VoidEntry(PATIENT, "v2", "inj", "again"))
                .expectException(refused(ENTRY_ALREADY_VOIDED, null));
        fixture.givenCommands(register(), injection("inj", "2026-03-02"), new VoidEntry(PATIENT, "v1", "inj", "wrong"))
                .when(new VoidEntry(PATIENT, "v2", "v1", "undo"))
                .expectException(refused(NOT_CORRECTABLE, null));
        fixture.givenCommands(register())
                .when(new VoidEntry(PATIENT, "v1", "patient-1:registration", "no"))
                .expectException(refused(NOT_CORRECTABLE, null));
        fixture.givenCommands(register())
                .when(new VoidEntry(PATIENT, "v1", "ghost", "no"))
                .expectException(refused(ENTRY_NOT_FOUND, null));
    }

    @Test
    void voiding_a_resolution_reopens_the_side_effect() {
        fixture.givenCommands(register(), sideEffect("se", "s1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("r1", "s1", "2026-03-04"), new VoidEntry(PATIENT, "v1", "r1", "not resolved yet"))
                .when(laser("co2", "2026-03-10", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refused(RuleCode.LASER_OVER_OPEN_BRUISE, null));
    }

    // ------------------------------------------------------------ amend

    @Test
    void amend_replaces_the_entry_with_recomputed_cycle_and_advisories() {
        var replacement = injectionDetails("2026-01-03", List.of(dose(Site.GLABELLA, 25)));
        var expected = new InjectionRecorded(PATIENT, "inj", at("2026-01-03"), 1,
                Product.ONABOTULINUMTOXIN_A, LOT, null,
                DoseIntent.LIGHT, Indication.COSMETIC,
                List.of(dose(Site.GLABELLA, 25)), null,
                List.of(new Advisory(RuleCode.DOSE_ABOVE_TYPICAL,
                        "GLABELLA: 25 U of Botox is above the typical 10-20 U.")));
        fixture.givenCommands(register(), injection("inj", "2026-01-01"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "units mis-typed", replacement, null), AS_CLINICIAN)
                .expectEvents(new EntryAmended(PATIENT, "c1", NOW, "inj", "units mis-typed", expected))
                .expectResultMessagePayload(new RecordedEntry("c1", 1, expected.advisories()));
    }

    @Test
    void amend_rechecks_the_rules_and_accepts_an_override() {
        var replacement = injectionDetails("2026-03-05", glabella());
        fixture.givenCommands(register(), injection("inj", "2026-03-01"),
                        laser("bbl", "2026-03-12", BROADBAND_LIGHT, Zone.CHEEKS))
                .when(new AmendEntry(PATIENT, "c1", "inj", "wrong date", replacement, null), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_LIGHT, "bbl", "inj", null))
                .expectNoEvents();
        fixture.givenCommands(register(), injection("inj", "2026-03-01"),
                        laser("bbl", "2026-03-12", BROADBAND_LIGHT, Zone.CHEEKS))
                .when(new AmendEntry(PATIENT, "c1", "inj", "wrong date", replacement, OVERRIDE), AS_CLINICIAN)
                .expectEventsMatching(payloads("override on the amended entry, then the amend", p -> p.size() == 2
                        && p.get(0).equals(new RuleOverridden(PATIENT, "c1:override:LASER_AFTER_TOXIN_LIGHT",
                        at("2026-03-05"), "inj", LASER_AFTER_TOXIN_LIGHT, OVERRIDE.reason(), CLINICIAN, "bbl", null))
                        && p.get(1) instanceof EntryAmended a && a.targetEntryId().equals("inj")));
    }

    @Test
    void an_amend_with_several_readings_records_the_target_types_one_in_one_command() {
        var asTouchUp = touchUpDetails("2026-03-20", glabella());
        var asInjection = injectionDetails("2026-03-02", glabella());
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "date", new Replacement(List.of(asTouchUp, asInjection)), null),
                        AS_CLINICIAN)
                .expectEventsMatching(payloads("the injection reading", p -> p.size() == 1
                        && p.get(0) instanceof EntryAmended a && a.replacement() instanceof InjectionRecorded i
                        && i.occurredAt().equals(at("2026-03-02"))));
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "date", new Replacement(List.of(asTouchUp)), null))
                .expectException(refused(AMEND_TYPE_MISMATCH, null))
                .expectNoEvents();
    }

    @Test
    void a_stored_amend_the_read_models_ignore_the_aggregate_ignores_too() {
        // An amend whose replacement is another type than its target counts nowhere (Corrections): the aggregate
        // keeps the injection, so a light laser five days later is still too soon after it.
        var registered = new PatientRegistered(PATIENT, Patient.registrationEntryId(PATIENT),
                REGISTERED, "clinic-1", Sex.FEMALE, null, null);
        var injection = new InjectionRecorded(PATIENT, "inj", at("2026-03-01"), 1,
                Product.ONABOTULINUMTOXIN_A, LOT, null,
                DoseIntent.FULL, Indication.COSMETIC, glabella(),
                null, List.of());
        var asTouchUp = new TouchUpRecorded(PATIENT, "inj", at("2026-03-01"), 1,
                Product.ONABOTULINUMTOXIN_A, LOT, null,
                Indication.COSMETIC, glabella(), null, List.of());
        fixture.given(registered, injection, new EntryAmended(PATIENT, "c1", at("2026-03-02"), "inj", "x", asTouchUp))
                .when(laser("bbl", "2026-03-06", BROADBAND_LIGHT, Zone.CHEEKS))
                .expectException(refused(LASER_AFTER_TOXIN_LIGHT, "2026-03-11"));
    }

    @Test
    void amend_refusals_AMEND_TYPE_MISMATCH_ENTRY_ALREADY_VOIDED_NOT_CORRECTABLE() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "x", touchUpDetails("2026-03-20", glabella()), null))
                .expectException(refused(AMEND_TYPE_MISMATCH, null));
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), new VoidEntry(PATIENT, "v1", "inj", "wrong"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "x", injectionDetails("2026-03-02", glabella()), null))
                .expectException(refused(ENTRY_ALREADY_VOIDED, null));
        fixture.givenCommands(register(), injection("inj", "2026-03-01"),
                        new AmendEntry(PATIENT, "c1", "inj", "x", injectionDetails("2026-03-02", glabella()), null))
                .when(new AmendEntry(PATIENT, "c2", "c1", "x", injectionDetails("2026-03-02", glabella()), null))
                .expectException(refused(NOT_CORRECTABLE, null));
    }

    @Test
    void a_later_amend_replaces_the_current_version() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"),
                        new AmendEntry(PATIENT, "c1", "inj", "date", injectionDetails("2026-03-03", glabella()), null),
                        new AmendEntry(PATIENT, "c2", "inj", "date again", injectionDetails("2026-03-04", glabella()), null))
                .when(laser("bbl", "2026-03-13", BROADBAND_LIGHT, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_LIGHT, "bbl", "inj", "2026-03-14"));
    }

    @Test
    void amend_moving_a_cycle_start_away_from_its_touch_up_is_checked_too() {
        // Moving the initial injection after its touch-up leaves the touch-up without a cycle.
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), touchUp("tu", "2026-03-20"))
                .when(new AmendEntry(PATIENT, "c1", "inj", "date", injectionDetails("2026-03-25", glabella()), null))
                .expectException(refusedFor(TOUCH_UP_WITHOUT_CYCLE, "tu", null, null));
    }

    @Test
    void amend_of_a_laser_keeps_series_and_advisories() {
        fixture.givenCommands(register(), laser("bbl", "2026-03-01", BROADBAND_LIGHT, Zone.CHEEKS))
                .when(new AmendEntry(PATIENT, "c1", "bbl", "zone", laserDetails("2026-03-01", BROADBAND_LIGHT, null, Zone.FOREHEAD), null))
                .expectEventsMatching(payloads("amended laser", p -> p.size() == 1
                        && p.get(0) instanceof EntryAmended a && a.replacement() instanceof LaserSessionRecorded l
                        && l.entryId().equals("bbl") && l.zones().equals(List.of(Zone.FOREHEAD))
                        && l.advisories().size() == 1));
    }

    @Test
    void amend_of_a_resolution_keeps_its_side_effect() {
        fixture.givenCommands(register(), sideEffect("se", "s1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("r1", "s1", "2026-03-04"),
                        new AmendEntry(PATIENT, "c1", "r1", "resolved later", new SideEffectResolutionDetails(at("2026-03-09"), null), null))
                .when(laser("co2", "2026-03-08", LaserDeviceClass.FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refused(RuleCode.LASER_OVER_OPEN_BRUISE, "2026-03-09"));
    }

    @Test
    void blank_override_reason_on_amend_counts_as_no_override() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), laser("bbl", "2026-03-12", BROADBAND_LIGHT, Zone.CHEEKS))
                .when(new AmendEntry(PATIENT, "c1", "inj", "date", injectionDetails("2026-03-05", glabella()),
                        new OverrideRequest("")), AS_CLINICIAN)
                .expectException(refused(LASER_AFTER_TOXIN_LIGHT, null));
    }
}
