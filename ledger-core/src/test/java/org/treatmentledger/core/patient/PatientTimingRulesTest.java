package org.treatmentledger.core.patient;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.RuleViolationException;

import java.util.List;
import java.time.LocalDate;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.RecordLaserSession;
import org.treatmentledger.core.api.RuleOverridden;

import static org.treatmentledger.core.api.LaserDeviceClass.BROADBAND_LIGHT;
import static org.treatmentledger.core.api.LaserDeviceClass.FRACTIONAL_ABLATIVE;
import static org.treatmentledger.core.api.LaserDeviceClass.NON_ABLATIVE_FRACTIONAL;
import static org.treatmentledger.core.rules.RuleCode.CUMULATIVE_DOSE_CAP;
import static org.treatmentledger.core.rules.RuleCode.LASER_AFTER_PERIOCULAR_TOXIN;
import static org.treatmentledger.core.rules.RuleCode.LASER_AFTER_TOUCH_UP;
import static org.treatmentledger.core.rules.RuleCode.LASER_AFTER_TOXIN_ABLATIVE;
import static org.treatmentledger.core.rules.RuleCode.LASER_AFTER_TOXIN_LIGHT;
import static org.treatmentledger.core.rules.RuleCode.LASER_NECK_AFTER_PLATYSMA;
import static org.treatmentledger.core.rules.RuleCode.LASER_OVER_OPEN_BRUISE;
import static org.treatmentledger.core.rules.RuleCode.LASER_SERIES_SPACING;
import static org.treatmentledger.core.rules.RuleCode.PERIORAL_LASER_DURING_FUNCTION_CHANGE;
import static org.treatmentledger.core.rules.RuleCode.RETREATMENT_TOO_SOON;
import static org.treatmentledger.core.rules.RuleCode.TOUCH_UP_TOO_EARLY;
import static org.treatmentledger.core.rules.RuleCode.TOUCH_UP_WITHOUT_CYCLE;

/** Every timing rule: the boundary day allowed, the day before refused (code and earliest date), the override, backdating. */
class PatientTimingRulesTest extends PatientTestSupport {

    // ------------------------------------------------------------ LASER_AFTER_TOXIN_LIGHT

    @Test
    void LASER_AFTER_TOXIN_LIGHT_allows_the_tenth_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(laser("bbl", "2026-03-12", BROADBAND_LIGHT, Zone.FULL_FACE), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayloadMatching(org.hamcrest.Matchers.instanceOf(RecordedEntry.class));
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_refuses_the_ninth_day_with_the_earliest_date() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(laser("bbl", "2026-03-11", BROADBAND_LIGHT, Zone.FULL_FACE), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_LIGHT, "bbl", "inj", "2026-03-12"))
                .expectExceptionMessage("LASER_AFTER_TOXIN_LIGHT: A BBL/IPL or non-ablative fractional laser must wait"
                        + " 10 days after the cycle's initial injection of 2026-03-02; earliest 2026-03-12.")
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_applies_to_non_ablative_fractional() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(laser("naf", "2026-03-02", NON_ABLATIVE_FRACTIONAL, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refused(LASER_AFTER_TOXIN_LIGHT, "2026-03-12"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_override_records_the_override_before_the_session() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(overridden(laser("bbl", "2026-03-11", BROADBAND_LIGHT, Zone.FULL_FACE)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "bbl", LASER_AFTER_TOXIN_LIGHT))
                .expectState(p -> org.assertj.core.api.Assertions.assertThat(p.timeline().lasers()).hasSize(1));
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_override_event_names_cause_and_earliest_date() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(overridden(laser("bbl", "2026-03-11", BROADBAND_LIGHT, Zone.FULL_FACE)), AS_CLINICIAN)
                .expectEventsMatching(payloads("override of LASER_AFTER_TOXIN_LIGHT then the session", p -> p.size() == 2
                        && p.get(0).equals(new RuleOverridden(
                                PATIENT, "bbl:override:LASER_AFTER_TOXIN_LIGHT", at("2026-03-11"), "bbl",
                                LASER_AFTER_TOXIN_LIGHT, OVERRIDE.reason(), CLINICIAN, "inj",
                                LocalDate.parse("2026-03-12")))
                        && p.get(1) instanceof LaserSessionRecorded));
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_blank_override_reason_counts_as_no_override() {
        var command = laser("bbl", "2026-03-11", BROADBAND_LIGHT, Zone.FULL_FACE);
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(new RecordLaserSession(PATIENT, "bbl", command.details(),
                        new OverrideRequest("  ")), AS_CLINICIAN)
                .expectException(refused(LASER_AFTER_TOXIN_LIGHT, "2026-03-12"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_override_without_a_known_user_counts_as_no_override() {
        fixture.givenCommands(register(), injection("inj", "2026-03-02"))
                .when(overridden(laser("bbl", "2026-03-11", BROADBAND_LIGHT, Zone.FULL_FACE)))
                .expectException(refused(LASER_AFTER_TOXIN_LIGHT, "2026-03-12"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_refuses_a_backdated_injection_before_a_recorded_session() {
        fixture.givenCommands(register(), laser("bbl", "2026-03-07", BROADBAND_LIGHT, Zone.FULL_FACE))
                .when(injection("inj", "2026-03-02"), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_LIGHT, "bbl", "inj", null))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_backdated_injection_ten_days_before_the_session_is_allowed() {
        fixture.givenCommands(register(), laser("bbl", "2026-03-12", BROADBAND_LIGHT, Zone.FULL_FACE))
                .when(injection("inj", "2026-03-02"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new RecordedEntry("inj", 1, List.of()));
    }

    @Test
    void LASER_AFTER_TOXIN_LIGHT_backdated_injection_with_override_names_the_disturbed_session() {
        fixture.givenCommands(register(), laser("bbl", "2026-03-07", BROADBAND_LIGHT, Zone.FULL_FACE))
                .when(overridden(injection("inj", "2026-03-02")), AS_CLINICIAN)
                .expectEventsMatching(payloads("override naming the session, then the injection", p -> p.size() == 2
                        && p.get(0).equals(new RuleOverridden(
                                PATIENT, "inj:override:LASER_AFTER_TOXIN_LIGHT", at("2026-03-02"), "inj",
                                LASER_AFTER_TOXIN_LIGHT, OVERRIDE.reason(), CLINICIAN, "bbl", null))
                        && p.get(1) instanceof InjectionRecorded));
    }

    // ------------------------------------------------------------ LASER_AFTER_TOUCH_UP

    @Test
    void LASER_AFTER_TOUCH_UP_allows_the_third_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), touchUp("tu", "2026-03-15"))
                .when(laser("bbl", "2026-03-18", BROADBAND_LIGHT, Zone.CHEEKS), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_AFTER_TOUCH_UP_refuses_the_second_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), touchUp("tu", "2026-03-15"))
                .when(laser("bbl", "2026-03-17", NON_ABLATIVE_FRACTIONAL, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOUCH_UP, "bbl", "tu", "2026-03-18"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOUCH_UP_override() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), touchUp("tu", "2026-03-15"))
                .when(overridden(laser("bbl", "2026-03-17", BROADBAND_LIGHT, Zone.CHEEKS)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "bbl", LASER_AFTER_TOUCH_UP));
    }

    @Test
    void LASER_AFTER_TOUCH_UP_refuses_a_backdated_touch_up() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"),
                        laser("bbl", "2026-03-16", BROADBAND_LIGHT, Zone.CHEEKS))
                .when(touchUp("tu", "2026-03-15"), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOUCH_UP, "bbl", "tu", null))
                .expectNoEvents();
    }

    // ------------------------------------------------------------ LASER_AFTER_TOXIN_ABLATIVE

    @Test
    void LASER_AFTER_TOXIN_ABLATIVE_allows_the_fourteenth_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(laser("co2", "2026-03-15", FRACTIONAL_ABLATIVE, Zone.FOREHEAD), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_AFTER_TOXIN_ABLATIVE_refuses_the_thirteenth_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(laser("co2", "2026-03-14", FRACTIONAL_ABLATIVE, Zone.FOREHEAD), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_ABLATIVE, "co2", "inj", "2026-03-15"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_ABLATIVE_counts_from_the_latest_touch_up() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"), touchUp("tu", "2026-03-15"))
                .when(laser("co2", "2026-03-28", FRACTIONAL_ABLATIVE, Zone.FOREHEAD), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_ABLATIVE, "co2", "tu", "2026-03-29"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_TOXIN_ABLATIVE_override() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(overridden(laser("co2", "2026-03-14", FRACTIONAL_ABLATIVE, Zone.FOREHEAD)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "co2", LASER_AFTER_TOXIN_ABLATIVE));
    }

    // ------------------------------------------------------------ LASER_AFTER_PERIOCULAR_TOXIN

    private static RecordInjection crowsFeet(String id, String date) {
        return injection(id, date, List.of(dose(Site.CROWS_FEET_LEFT, 8), dose(Site.CROWS_FEET_RIGHT, 8)));
    }

    @Test
    void LASER_AFTER_PERIOCULAR_TOXIN_allows_the_twenty_first_day() {
        fixture.givenCommands(register(), crowsFeet("inj", "2026-03-01"))
                .when(laser("co2", "2026-03-22", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_AFTER_PERIOCULAR_TOXIN_refuses_the_twentieth_day() {
        fixture.givenCommands(register(), crowsFeet("inj", "2026-03-01"))
                .when(laser("co2", "2026-03-21", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_PERIOCULAR_TOXIN, "co2", "inj", "2026-03-22"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_PERIOCULAR_TOXIN_and_ablative_together_give_the_later_earliest_date() {
        fixture.givenCommands(register(), crowsFeet("inj", "2026-03-01"))
                .when(laser("co2", "2026-03-10", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refused(LASER_AFTER_PERIOCULAR_TOXIN, "2026-03-22"))
                .expectNoEvents();
    }

    @Test
    void LASER_AFTER_PERIOCULAR_TOXIN_override_records_one_override_per_broken_rule() {
        fixture.givenCommands(register(), crowsFeet("inj", "2026-03-01"))
                .when(overridden(laser("co2", "2026-03-10", FRACTIONAL_ABLATIVE, Zone.CHEEKS)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "co2",
                        LASER_AFTER_TOXIN_ABLATIVE, LASER_AFTER_PERIOCULAR_TOXIN));
    }

    // ------------------------------------------------------------ LASER_NECK_AFTER_PLATYSMA

    private static RecordInjection platysma(String id, String date) {
        return injection(id, date, List.of(dose(Site.PLATYSMA, 30)));
    }

    @Test
    void LASER_NECK_AFTER_PLATYSMA_allows_the_twenty_first_day() {
        fixture.givenCommands(register(), platysma("inj", "2026-03-01"))
                .when(laser("bbl", "2026-03-22", BROADBAND_LIGHT, Zone.NECK), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_NECK_AFTER_PLATYSMA_refuses_the_twentieth_day() {
        fixture.givenCommands(register(), platysma("inj", "2026-03-01"))
                .when(laser("bbl", "2026-03-21", BROADBAND_LIGHT, Zone.NECK), AS_CLINICIAN)
                .expectException(refusedFor(LASER_NECK_AFTER_PLATYSMA, "bbl", "inj", "2026-03-22"))
                .expectNoEvents();
    }

    @Test
    void LASER_NECK_AFTER_PLATYSMA_ignores_facial_sessions() {
        fixture.givenCommands(register(), platysma("inj", "2026-03-01"))
                .when(laser("bbl", "2026-03-15", BROADBAND_LIGHT, Zone.FULL_FACE), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_NECK_AFTER_PLATYSMA_override() {
        fixture.givenCommands(register(), platysma("inj", "2026-03-01"))
                .when(overridden(laser("bbl", "2026-03-21", BROADBAND_LIGHT, Zone.NECK)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "bbl", LASER_NECK_AFTER_PLATYSMA));
    }

    // ------------------------------------------------------------ LASER_SERIES_SPACING

    @Test
    void LASER_SERIES_SPACING_allows_the_twenty_eighth_day() {
        fixture.givenCommands(register(), seriesLaser("s1", "2026-03-01", "series-a"))
                .when(seriesLaser("s2", "2026-03-29", "series-a"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_SERIES_SPACING_refuses_the_twenty_seventh_day() {
        fixture.givenCommands(register(), seriesLaser("s1", "2026-03-01", "series-a"))
                .when(seriesLaser("s2", "2026-03-28", "series-a"), AS_CLINICIAN)
                .expectException(refusedFor(LASER_SERIES_SPACING, "s2", "s1", "2026-03-29"))
                .expectNoEvents();
    }

    @Test
    void LASER_SERIES_SPACING_ignores_other_series_and_allows_late_sessions() {
        fixture.givenCommands(register(), seriesLaser("s1", "2026-03-01", "series-a"),
                        seriesLaser("b1", "2026-03-10", "series-b"))
                .when(seriesLaser("s2", "2026-05-01", "series-a"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_SERIES_SPACING_checks_the_next_session_of_a_backdated_one() {
        fixture.givenCommands(register(), seriesLaser("s1", "2026-03-01", "series-a"),
                        seriesLaser("s3", "2026-04-20", "series-a"))
                .when(seriesLaser("s2", "2026-03-30", "series-a"), AS_CLINICIAN)
                .expectException(refusedFor(LASER_SERIES_SPACING, "s3", "s2", null))
                .expectNoEvents();
    }

    @Test
    void LASER_SERIES_SPACING_override() {
        fixture.givenCommands(register(), seriesLaser("s1", "2026-03-01", "series-a"))
                .when(overridden(seriesLaser("s2", "2026-03-28", "series-a")), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "s2", LASER_SERIES_SPACING));
    }

    // ------------------------------------------------------------ LASER_OVER_OPEN_BRUISE

    @Test
    void LASER_OVER_OPEN_BRUISE_refuses_while_unresolved_without_a_date() {
        fixture.givenCommands(register(), sideEffect("se", "bruise-1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS))
                .when(laser("co2", "2026-03-05", FRACTIONAL_ABLATIVE, Zone.FULL_FACE), AS_CLINICIAN)
                .expectException(refusedFor(LASER_OVER_OPEN_BRUISE, "co2", "se", null))
                .expectNoEvents();
    }

    @Test
    void LASER_OVER_OPEN_BRUISE_refuses_the_day_before_the_resolution_and_allows_its_day() {
        fixture.givenCommands(register(),
                        sideEffect("se", "bruise-1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("res", "bruise-1", "2026-03-08"))
                .when(laser("co2", "2026-03-07", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refusedFor(LASER_OVER_OPEN_BRUISE, "co2", "se", "2026-03-08"))
                .expectNoEvents();
        fixture.givenCommands(register(),
                        sideEffect("se", "bruise-1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS),
                        resolve("res", "bruise-1", "2026-03-08"))
                .when(laser("co2", "2026-03-08", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_OVER_OPEN_BRUISE_ignores_other_zones_light_lasers_and_sessions_before_the_onset() {
        fixture.givenCommands(register(), sideEffect("se", "bruise-1", "2026-03-05", SideEffectType.BRUISING, Zone.CHEEKS),
                        laser("bbl", "2026-03-06", BROADBAND_LIGHT, Zone.CHEEKS),
                        laser("co2-neck", "2026-03-06", FRACTIONAL_ABLATIVE, Zone.NECK))
                .when(laser("co2", "2026-03-04", FRACTIONAL_ABLATIVE, Zone.CHEEKS), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void LASER_OVER_OPEN_BRUISE_override() {
        fixture.givenCommands(register(), sideEffect("se", "bruise-1", "2026-03-01", SideEffectType.BRUISING, Zone.CHEEKS))
                .when(overridden(laser("co2", "2026-03-05", FRACTIONAL_ABLATIVE, Zone.CHEEKS)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "co2", LASER_OVER_OPEN_BRUISE));
    }

    // ------------------------------------------------------------ PERIORAL_LASER_DURING_FUNCTION_CHANGE

    @Test
    void PERIORAL_LASER_DURING_FUNCTION_CHANGE_refuses_the_day_before_the_resolution_and_allows_its_day() {
        fixture.givenCommands(register(),
                        sideEffect("se", "smile-1", "2026-03-01", SideEffectType.SMILE_CHANGE, Zone.PERIORAL),
                        resolve("res", "smile-1", "2026-03-10"))
                .when(laser("bbl", "2026-03-09", BROADBAND_LIGHT, Zone.FULL_FACE), AS_CLINICIAN)
                .expectException(refusedFor(PERIORAL_LASER_DURING_FUNCTION_CHANGE, "bbl", "se", "2026-03-10"))
                .expectNoEvents();
        fixture.givenCommands(register(),
                        sideEffect("se", "smile-1", "2026-03-01", SideEffectType.SMILE_CHANGE, Zone.PERIORAL),
                        resolve("res", "smile-1", "2026-03-10"))
                .when(laser("bbl", "2026-03-10", BROADBAND_LIGHT, Zone.PERIORAL), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void PERIORAL_LASER_DURING_FUNCTION_CHANGE_refuses_while_a_speech_change_is_open_and_ignores_other_zones() {
        fixture.givenCommands(register(), sideEffect("se", "speech-1", "2026-03-01", SideEffectType.SPEECH_CHANGE, Zone.PERIORAL))
                .when(laser("bbl", "2026-04-01", BROADBAND_LIGHT, Zone.PERIORAL), AS_CLINICIAN)
                .expectException(refused(PERIORAL_LASER_DURING_FUNCTION_CHANGE, null))
                .expectNoEvents();
        fixture.givenCommands(register(), sideEffect("se", "speech-1", "2026-03-01", SideEffectType.SPEECH_CHANGE, Zone.PERIORAL))
                .when(laser("bbl", "2026-04-01", BROADBAND_LIGHT, Zone.FOREHEAD), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void PERIORAL_LASER_DURING_FUNCTION_CHANGE_override() {
        fixture.givenCommands(register(), sideEffect("se", "speech-1", "2026-03-01", SideEffectType.SPEECH_CHANGE, Zone.PERIORAL))
                .when(overridden(laser("bbl", "2026-04-01", BROADBAND_LIGHT, Zone.PERIORAL)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(LaserSessionRecorded.class, "bbl", PERIORAL_LASER_DURING_FUNCTION_CHANGE));
    }

    // ------------------------------------------------------------ TOUCH_UP_TOO_EARLY

    @Test
    void TOUCH_UP_TOO_EARLY_allows_the_fourteenth_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(touchUp("tu", "2026-03-15"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new RecordedEntry("tu", 1, List.of()));
    }

    @Test
    void TOUCH_UP_TOO_EARLY_refuses_the_thirteenth_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(touchUp("tu", "2026-03-14"), AS_CLINICIAN)
                .expectException(refusedFor(TOUCH_UP_TOO_EARLY, "tu", "inj", "2026-03-15"))
                .expectNoEvents();
    }

    @Test
    void TOUCH_UP_TOO_EARLY_refuses_a_backdated_initial_injection_that_captures_a_touch_up() {
        // The touch-up of 01-20 belonged to the cycle of 01-01 (d = 19); a backdated cycle start on 01-10 makes it d = 10.
        fixture.givenCommands(register(), injection("inj1", "2026-01-01"), touchUp("tu", "2026-01-20"))
                .when(injection("inj2", "2026-01-10"), AS_CLINICIAN)
                .expectException(refusedFor(TOUCH_UP_TOO_EARLY, "tu", "inj2", null))
                .expectException(refusedFor(RETREATMENT_TOO_SOON, "inj2", "inj1", null))
                .expectNoEvents();
    }

    @Test
    void TOUCH_UP_TOO_EARLY_override() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(overridden(touchUp("tu", "2026-03-14")), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(TouchUpRecorded.class, "tu", TOUCH_UP_TOO_EARLY));
    }

    // ------------------------------------------------------------ TOUCH_UP_WITHOUT_CYCLE

    @Test
    void TOUCH_UP_WITHOUT_CYCLE_allows_the_forty_second_day() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(touchUp("tu", "2026-04-12"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void TOUCH_UP_WITHOUT_CYCLE_refuses_the_forty_third_day_without_a_date() {
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(touchUp("tu", "2026-04-13"), AS_CLINICIAN)
                .expectException(refusedFor(TOUCH_UP_WITHOUT_CYCLE, "tu", "inj", null))
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("record a new initial injection instead"))
                .expectNoEvents();
    }

    @Test
    void TOUCH_UP_WITHOUT_CYCLE_refuses_a_touch_up_with_no_initial_injection() {
        fixture.givenCommands(register())
                .when(touchUp("tu", "2026-03-01"), AS_CLINICIAN)
                .expectException(refusedFor(TOUCH_UP_WITHOUT_CYCLE, "tu", null, null))
                .expectNoEvents();
    }

    @Test
    void TOUCH_UP_WITHOUT_CYCLE_override_records_cycle_zero() {
        fixture.givenCommands(register())
                .when(overridden(touchUp("tu", "2026-03-01")), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(TouchUpRecorded.class, "tu", TOUCH_UP_WITHOUT_CYCLE))
                .expectResultMessagePayload(new RecordedEntry("tu", 0, List.of()));
    }

    // ------------------------------------------------------------ RETREATMENT_TOO_SOON

    @Test
    void RETREATMENT_TOO_SOON_allows_the_eighty_fourth_day() {
        fixture.givenCommands(register(), injection("inj1", "2026-01-05"))
                .when(injection("inj2", "2026-03-30"), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new RecordedEntry("inj2", 2, List.of()));
    }

    @Test
    void RETREATMENT_TOO_SOON_refuses_the_eighty_third_day() {
        fixture.givenCommands(register(), injection("inj1", "2026-01-05"))
                .when(injection("inj2", "2026-03-29"), AS_CLINICIAN)
                .expectException(refusedFor(RETREATMENT_TOO_SOON, "inj2", "inj1", "2026-03-30"))
                .expectNoEvents();
    }

    @Test
    void RETREATMENT_TOO_SOON_checks_the_next_cycle_of_a_backdated_injection() {
        fixture.givenCommands(register(), injection("inj1", "2026-01-05"), injection("inj3", "2026-06-30"))
                .when(injection("inj2", "2026-04-10"), AS_CLINICIAN)
                .expectException(refusedFor(RETREATMENT_TOO_SOON, "inj3", "inj2", null))
                .expectNoEvents();
    }

    @Test
    void RETREATMENT_TOO_SOON_backdated_injection_between_two_cycles_gets_the_middle_cycle_number() {
        fixture.givenCommands(register(), injection("inj1", "2026-01-05"), injection("inj3", "2026-06-30"))
                .when(injection("inj2", "2026-04-01"), AS_CLINICIAN)
                .expectResultMessagePayload(new RecordedEntry("inj2", 2, List.of()));
    }

    @Test
    void RETREATMENT_TOO_SOON_override() {
        fixture.givenCommands(register(), injection("inj1", "2026-01-05"))
                .when(overridden(injection("inj2", "2026-03-29")), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(InjectionRecorded.class, "inj2", RETREATMENT_TOO_SOON));
    }

    // ------------------------------------------------------------ CUMULATIVE_DOSE_CAP

    private static RecordInjection masseter(String id, String date, double perSide) {
        return injection(id, date, List.of(dose(Site.MASSETER_LEFT, perSide), dose(Site.MASSETER_RIGHT, perSide)));
    }

    @Test
    void CUMULATIVE_DOSE_CAP_allows_the_day_the_earlier_units_leave_the_window() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 150))
                .when(masseter("inj2", "2026-04-01", 75), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_refuses_the_day_before_with_the_earliest_date() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 150))
                .when(masseter("inj2", "2026-03-31", 75), AS_CLINICIAN)
                .expectException(refusedFor(CUMULATIVE_DOSE_CAP, "inj2", "inj1", "2026-04-01"))
                .expectExceptionMessage(org.hamcrest.Matchers.containsString("450 U"))
                .expectNoEvents();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_allows_exactly_the_cap() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 150))
                .when(masseter("inj2", "2026-03-31", 50), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_counts_touch_ups_and_names_no_date_when_one_entry_exceeds_it() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 150))
                .when(touchUp("tu", "2026-01-20", List.of(dose(Site.MASSETER_LEFT, 101))), AS_CLINICIAN)
                // The cap alone would allow 04-01, but a touch-up that late is outside its cycle: no date.
                .expectException(refusedFor(CUMULATIVE_DOSE_CAP, "tu", "inj1", null))
                .expectNoEvents();
        fixture.givenCommands(register())
                .when(masseter("inj1", "2026-01-01", 201), AS_CLINICIAN)
                .expectException(refused(CUMULATIVE_DOSE_CAP, null))
                .expectNoEvents();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_rechecks_a_later_entry_when_a_backdated_one_enters_its_window() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 100), masseter("inj2", "2026-03-26", 75))
                .when(touchUp("tu", "2026-01-20", List.of(dose(Site.MASSETER_LEFT, 100))), AS_CLINICIAN)
                .expectException(refusedFor(CUMULATIVE_DOSE_CAP, "inj2", "tu", null))
                .expectNoEvents();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_has_no_cap_for_other_products_by_default() {
        var details = new InjectionDetails(at("2026-01-01"), Product.ABOBOTULINUMTOXIN_A,
                LOT, DoseIntent.LIGHT, Indication.THERAPEUTIC,
                List.of(dose(Site.TRAPEZIUS, 1000)), null, null);
        fixture.givenCommands(register())
                .when(injection("inj", details), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution();
    }

    @Test
    void CUMULATIVE_DOSE_CAP_override() {
        fixture.givenCommands(register(), masseter("inj1", "2026-01-01", 150))
                .when(overridden(masseter("inj2", "2026-03-31", 75)), AS_CLINICIAN)
                .expectEventsMatching(overriddenThen(InjectionRecorded.class, "inj2", CUMULATIVE_DOSE_CAP));
    }

    // ------------------------------------------------------------ earliest allowed across rules

    @Test
    void earliest_allowed_is_the_first_date_passing_every_timing_rule() {
        // 10 days after the injection is 03-11, but on 03-11 the touch-up of 03-10 blocks it until 03-13.
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .andGivenCommands(asClinician(overridden(touchUp("tu", "2026-03-10"))))
                .when(laser("bbl", "2026-03-05", BROADBAND_LIGHT, Zone.CHEEKS), AS_CLINICIAN)
                .expectException(refusedFor(LASER_AFTER_TOXIN_LIGHT, "bbl", "inj", "2026-03-13"))
                .expectNoEvents();
    }
}
