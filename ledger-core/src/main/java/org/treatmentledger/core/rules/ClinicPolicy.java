package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every clinic-configurable number of docs/clinical-rules.md, in one place. {@link #defaults()} holds the
 * brief's defaults; the service binds overrides from {@code ledger.policy.*}. Day counts are calendar days
 * between local dates in {@link #zone()}.
 *
 * @param zone                          the clinic's time zone for day counting (default UTC)
 * @param minimumDays                   per timing rule, the least d allowed (e.g. LASER_AFTER_TOXIN_LIGHT: 10)
 * @param touchUpWindowCloseDays        TOUCH_UP_WITHOUT_CYCLE: a touch-up at d greater than this is outside the cycle (42)
 * @param doseCapWindowDays             CUMULATIVE_DOSE_CAP: entries with d less than this before the new one count (90)
 * @param doseCaps                      CUMULATIVE_DOSE_CAP: units per product in the window; absent = no cap (ONA 400)
 * @param futureSkew                    FUTURE_EVENT: clock skew tolerated (5 min)
 * @param typicalDoses                  DOSE_ABOVE_TYPICAL: typical upper bound per product and site
 * @param maleDoseUpliftPercent         DOSE_ABOVE_TYPICAL: men typically need up to this much more (30)
 * @param laserSeriesWindowEndDays      LASER_SERIES_SPACING window end (42); the start is minimumDays
 * @param laserSeriesDefaultSessions    a series' planned count when not given (3)
 * @param laserMaintenanceMonths        maintenance after a completed series, from/to months (6, 12)
 * @param twoWeekReviewDays             schedule: review at cycle start + this (14)
 * @param twoWeekReviewWindowEndDays    schedule: review window end (21)
 * @param expectedIntervalFullDays      schedule: next neuromodulator for FULL intent without history (90)
 * @param expectedIntervalLightDays     schedule: for LIGHT and HALF_DOSE_TRIAL without history (120)
 * @param personalHistoryMinimum        schedule: own durations/intervals needed before they set the interval (2)
 * @param postInjectionPhotoDays        schedule: post-injection review photo at + this (14)
 * @param postLaserPhotoDays            schedule: post-laser photo at + this (7)
 * @param driftThresholdDays            drift: |drift| at least this classifies as shortened/extended (14)
 * @param onaEquivalentRatio            units of a product per onabotulinumtoxinA unit, where a ratio is established
 * @param nextNeuromodulatorWindowDays  schedule: the next neuromodulator's window runs this long after its due date (30)
 * @param photoCheckpointWindowDays     schedule: a post-injection or post-laser photo's window after its due date (7)
 */
public record ClinicPolicy(
        ZoneId zone,
        Map<RuleCode, Integer> minimumDays,
        int touchUpWindowCloseDays,
        int doseCapWindowDays,
        Map<Product, BigDecimal> doseCaps,
        Duration futureSkew,
        Map<Product, Map<Site, DoseRange>> typicalDoses,
        int maleDoseUpliftPercent,
        int laserSeriesWindowEndDays,
        int laserSeriesDefaultSessions,
        MonthRange laserMaintenanceMonths,
        int twoWeekReviewDays,
        int twoWeekReviewWindowEndDays,
        int expectedIntervalFullDays,
        int expectedIntervalLightDays,
        int personalHistoryMinimum,
        int postInjectionPhotoDays,
        int postLaserPhotoDays,
        int driftThresholdDays,
        Map<Product, BigDecimal> onaEquivalentRatio,
        int nextNeuromodulatorWindowDays,
        int photoCheckpointWindowDays) {

    /** The earlier arity, kept so callers written before the schedule windows were added still compile. */
    public ClinicPolicy(ZoneId zone, Map<RuleCode, Integer> minimumDays, int touchUpWindowCloseDays,
                        int doseCapWindowDays, Map<Product, BigDecimal> doseCaps, Duration futureSkew,
                        Map<Product, Map<Site, DoseRange>> typicalDoses, int maleDoseUpliftPercent,
                        int laserSeriesWindowEndDays, int laserSeriesDefaultSessions,
                        MonthRange laserMaintenanceMonths, int twoWeekReviewDays, int twoWeekReviewWindowEndDays,
                        int expectedIntervalFullDays, int expectedIntervalLightDays, int personalHistoryMinimum,
                        int postInjectionPhotoDays, int postLaserPhotoDays, int driftThresholdDays,
                        Map<Product, BigDecimal> onaEquivalentRatio) {
        this(zone, minimumDays, touchUpWindowCloseDays, doseCapWindowDays, doseCaps, futureSkew, typicalDoses,
                maleDoseUpliftPercent, laserSeriesWindowEndDays, laserSeriesDefaultSessions, laserMaintenanceMonths,
                twoWeekReviewDays, twoWeekReviewWindowEndDays, expectedIntervalFullDays, expectedIntervalLightDays,
                personalHistoryMinimum, postInjectionPhotoDays, postLaserPhotoDays, driftThresholdDays,
                onaEquivalentRatio, 30, 7);
    }

    /** Typical units per site for one product (per side for paired sites). */
    public record DoseRange(BigDecimal min, BigDecimal max) {
        public static DoseRange of(int min, int max) {
            return new DoseRange(BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        }
    }

    public record MonthRange(int from, int to) { }

    public ClinicPolicy {
        minimumDays = Map.copyOf(minimumDays);
        doseCaps = Map.copyOf(doseCaps);
        typicalDoses = Map.copyOf(typicalDoses);
        onaEquivalentRatio = Map.copyOf(onaEquivalentRatio);
        for (RuleCode code : DEFAULT_MINIMUM_DAYS.keySet()) {
            if (!minimumDays.containsKey(code)) {
                throw new IllegalArgumentException("policy lacks minimum days for " + code);
            }
        }
    }

    private static final Map<RuleCode, Integer> DEFAULT_MINIMUM_DAYS = defaultMinimumDays();

    private static Map<RuleCode, Integer> defaultMinimumDays() {
        Map<RuleCode, Integer> m = new EnumMap<>(RuleCode.class);
        m.put(RuleCode.LASER_AFTER_TOXIN_LIGHT, 10);
        m.put(RuleCode.LASER_AFTER_TOUCH_UP, 3);
        m.put(RuleCode.LASER_AFTER_TOXIN_ABLATIVE, 14);
        m.put(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN, 21);
        m.put(RuleCode.LASER_NECK_AFTER_PLATYSMA, 21);
        m.put(RuleCode.LASER_SERIES_SPACING, 28);
        m.put(RuleCode.TOUCH_UP_TOO_EARLY, 14);
        m.put(RuleCode.RETREATMENT_TOO_SOON, 84);
        return Map.copyOf(m);
    }

    /** The defaults of docs/clinical-rules.md. */
    public static ClinicPolicy defaults() {
        DoseRange crowsFeet = DoseRange.of(6, 12);
        Map<Site, DoseRange> ona = new EnumMap<>(Site.class);
        ona.put(Site.FOREHEAD, DoseRange.of(8, 20));
        ona.put(Site.GLABELLA, DoseRange.of(10, 20));
        ona.put(Site.CROWS_FEET_LEFT, crowsFeet);
        ona.put(Site.CROWS_FEET_RIGHT, crowsFeet);
        return new ClinicPolicy(
                ZoneId.of("UTC"),
                DEFAULT_MINIMUM_DAYS,
                42,
                90,
                Map.of(Product.ONABOTULINUMTOXIN_A, BigDecimal.valueOf(400)),
                Duration.ofMinutes(5),
                Map.of(Product.ONABOTULINUMTOXIN_A, Map.copyOf(ona)),
                30,
                42,
                3,
                new MonthRange(6, 12),
                14,
                21,
                90,
                120,
                2,
                14,
                7,
                14,
                // Xeomin ~1:1, Dysport 2.5 units per Botox unit (the low end of the 2.5-3 range); others: none established
                Map.of(Product.ONABOTULINUMTOXIN_A, BigDecimal.ONE,
                        Product.INCOBOTULINUMTOXIN_A, BigDecimal.ONE,
                        Product.ABOBOTULINUMTOXIN_A, new BigDecimal("2.5")),
                // "every three to four months": the next dose is due at the expected interval, within a month
                30,
                7);
    }

    public int minimumDays(RuleCode code) {
        Integer days = minimumDays.get(code);
        if (days == null) throw new IllegalArgumentException(code + " has no minimum days");
        return days;
    }
}
