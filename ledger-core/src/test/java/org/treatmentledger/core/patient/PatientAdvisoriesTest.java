package org.treatmentledger.core.patient;

import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.Advisory;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.RuleCode;

import java.util.List;
import org.treatmentledger.core.api.InjectionRecorded;

import static org.treatmentledger.core.api.LaserDeviceClass.BROADBAND_LIGHT;
import static org.treatmentledger.core.rules.RuleCode.DOSE_ABOVE_TYPICAL;
import static org.treatmentledger.core.rules.RuleCode.FIRST_TIMER_LIGHT_DOSE;
import static org.treatmentledger.core.rules.RuleCode.FOREHEAD_WITHOUT_GLABELLA;
import static org.treatmentledger.core.rules.RuleCode.RETINOID_PAUSE;

/** Advisories: recorded on the accepted event and returned, never a refusal. */
class PatientAdvisoriesTest extends PatientTestSupport {

    private static RecordInjection withIntent(String id, String date, DoseIntent intent, List<SiteDose> sites) {
        return new RecordInjection(PATIENT, id, new InjectionDetails(at(date), Product.ONABOTULINUMTOXIN_A, LOT, intent,
                Indication.COSMETIC, sites, null, null), null);
    }

    private static org.hamcrest.Matcher<Object> advisories(RuleCode... codes) {
        return new org.hamcrest.CustomTypeSafeMatcher<>("advisories " + List.of(codes)) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof RecordedEntry r
                        && r.advisories().stream().map(Advisory::code).toList().equals(List.of(codes))
                        && r.advisories().stream().allMatch(a -> !a.detail().isBlank());
            }
        };
    }

    @Test
    void DOSE_ABOVE_TYPICAL_above_the_typical_maximum_only() {
        fixture.givenCommands(register())
                .when(injection("inj", "2026-03-01", List.of(dose(Site.GLABELLA, 20))))
                .expectResultMessagePayloadMatching(advisories());
        fixture.givenCommands(register())
                .when(injection("inj", "2026-03-01", List.of(dose(Site.GLABELLA, 20.5))))
                .expectResultMessagePayloadMatching(advisories(DOSE_ABOVE_TYPICAL))
                .expectEventsMatching(payloads("advisory on the event", p -> p.get(0)
                        instanceof InjectionRecorded i
                        && i.advisories().get(0).code() == DOSE_ABOVE_TYPICAL));
    }

    @Test
    void DOSE_ABOVE_TYPICAL_raises_the_maximum_for_men() {
        fixture.givenCommands(register(Sex.MALE))
                .when(injection("inj", "2026-03-01", List.of(dose(Site.GLABELLA, 26))))
                .expectResultMessagePayloadMatching(advisories());
        fixture.givenCommands(register(Sex.MALE))
                .when(injection("inj", "2026-03-01", List.of(dose(Site.GLABELLA, 26.5))))
                .expectResultMessagePayloadMatching(advisories(DOSE_ABOVE_TYPICAL));
    }

    @Test
    void FOREHEAD_WITHOUT_GLABELLA_when_the_cycle_has_no_glabella_dose() {
        fixture.givenCommands(register())
                .when(injection("inj", "2026-03-01", List.of(dose(Site.FOREHEAD, 10))))
                .expectResultMessagePayloadMatching(advisories(FOREHEAD_WITHOUT_GLABELLA));
        fixture.givenCommands(register())
                .when(injection("inj", "2026-03-01", List.of(dose(Site.FOREHEAD, 10), dose(Site.GLABELLA, 15))))
                .expectResultMessagePayloadMatching(advisories());
        // A touch-up of the forehead in a cycle whose initial injection dosed the glabella: no advisory.
        fixture.givenCommands(register(), injection("inj", "2026-03-01"))
                .when(touchUp("tu", "2026-03-15", List.of(dose(Site.FOREHEAD, 4))))
                .expectResultMessagePayloadMatching(advisories());
        fixture.givenCommands(register(), injection("inj", "2026-03-01", List.of(dose(Site.CROWS_FEET_LEFT, 6))))
                .when(touchUp("tu", "2026-03-15", List.of(dose(Site.FOREHEAD, 4))))
                .expectResultMessagePayloadMatching(advisories(FOREHEAD_WITHOUT_GLABELLA));
    }

    @Test
    void RETINOID_PAUSE_on_every_laser_session() {
        fixture.givenCommands(register())
                .when(laser("bbl", "2026-03-01", BROADBAND_LIGHT, Zone.CHEEKS))
                .expectResultMessagePayloadMatching(advisories(RETINOID_PAUSE));
    }

    @Test
    void FIRST_TIMER_LIGHT_DOSE_on_a_first_cycle_dosed_full_only() {
        fixture.givenCommands(register())
                .when(withIntent("inj", "2026-03-01", DoseIntent.FULL, glabella()))
                .expectResultMessagePayloadMatching(advisories(FIRST_TIMER_LIGHT_DOSE));
        fixture.givenCommands(register())
                .when(withIntent("inj", "2026-03-01", DoseIntent.HALF_DOSE_TRIAL, glabella()))
                .expectResultMessagePayloadMatching(advisories());
        fixture.givenCommands(register(), injection("inj1", "2026-01-01"))
                .when(withIntent("inj2", "2026-05-01", DoseIntent.FULL, glabella()))
                .expectResultMessagePayloadMatching(advisories());
    }
}
