package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.timeline.DoseEntry;

import java.time.LocalDate;
import java.util.Collection;

/**
 * The waits a laser session keeps after an injection, one per rule of docs/clinical-rules.md that measures a laser
 * from an injection: which sessions it holds back, which injections it counts from, and the sentence that explains
 * it. {@link TimingRules} refuses a session inside a wait; the schedule (ledger-projections' ScheduleCalculator)
 * shows the first day past every wait. Both read the days from {@link ClinicPolicy#minimumDays(RuleCode)}.
 */
public enum LaserWait {

    LASER_AFTER_TOXIN_LIGHT(RuleCode.LASER_AFTER_TOXIN_LIGHT) {
        @Override
        public boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones) { return device.isLight(); }

        @Override
        public boolean countsFrom(DoseEntry dose) { return dose.isInitial(); }

        @Override
        String rule(int days, LocalDate injection) {
            return "A BBL/IPL or non-ablative fractional laser must wait " + days
                    + " days after the cycle's initial injection of " + injection;
        }
    },

    LASER_AFTER_TOUCH_UP(RuleCode.LASER_AFTER_TOUCH_UP) {
        @Override
        public boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones) { return device.isLight(); }

        @Override
        public boolean countsFrom(DoseEntry dose) { return dose.touchUp(); }

        @Override
        String rule(int days, LocalDate injection) {
            return "A BBL/IPL or non-ablative fractional laser must wait " + days + " days after the touch-up of "
                    + injection;
        }
    },

    LASER_AFTER_TOXIN_ABLATIVE(RuleCode.LASER_AFTER_TOXIN_ABLATIVE) {
        @Override
        public boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones) { return !device.isLight(); }

        @Override
        public boolean countsFrom(DoseEntry dose) { return true; }

        @Override
        String rule(int days, LocalDate injection) {
            return "A fractional ablative laser must wait " + days + " days after the latest injection"
                    + " (initial or touch-up) of " + injection;
        }
    },

    LASER_AFTER_PERIOCULAR_TOXIN(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN) {
        @Override
        public boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones) { return !device.isLight(); }

        @Override
        public boolean countsFrom(DoseEntry dose) { return dose.touchesPeriocular(); }

        @Override
        String rule(int days, LocalDate injection) {
            return "A fractional ablative laser must wait " + days + " days after the injection of " + injection
                    + " at periocular sites (crow's feet, lateral brow, upper eyelid)";
        }
    },

    /** Any device, but only sessions that treat the neck. */
    LASER_NECK_AFTER_PLATYSMA(RuleCode.LASER_NECK_AFTER_PLATYSMA) {
        @Override
        public boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones) { return zones.contains(Zone.NECK); }

        @Override
        public boolean countsFrom(DoseEntry dose) { return dose.includes(Site.PLATYSMA); }

        @Override
        String rule(int days, LocalDate injection) {
            return "A laser session on the neck must wait " + days + " days after the platysma injection of "
                    + injection;
        }
    };

    private final RuleCode code;

    LaserWait(RuleCode code) { this.code = code; }

    public RuleCode code() { return code; }

    /** True when this wait applies to a session of {@code device} over {@code zones}. */
    public abstract boolean holdsBack(LaserDeviceClass device, Collection<Zone> zones);

    /** True when {@code dose} starts this wait. */
    public abstract boolean countsFrom(DoseEntry dose);

    /** The sentence of a refusal, for a wait of {@code days} from the injection of {@code injection}. */
    abstract String rule(int days, LocalDate injection);

    public int days(ClinicPolicy policy) { return policy.minimumDays(code); }

    /** The first day a session may follow an injection on {@code injection}. */
    public LocalDate earliest(LocalDate injection, ClinicPolicy policy) { return injection.plusDays(days(policy)); }
}
