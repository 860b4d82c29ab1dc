package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Site;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every clinic-configurable number of docs/clinical-rules.md, in one place. Each default is named in
 * {@link Settings}, the mutable form the service binds {@code ledger.policy.*} onto; {@link #defaults()} is
 * {@code new Settings().toPolicy()}. Day counts are calendar days between local dates in {@link #zone()}.
 * The components are documented on the {@link Settings} property of the same name.
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
        Map<Product, Map<Site, DoseRange>> typical = new LinkedHashMap<>();
        typicalDoses.forEach((product, sites) -> typical.put(product, Map.copyOf(sites)));
        typicalDoses = Map.copyOf(typical);
        onaEquivalentRatio = Map.copyOf(onaEquivalentRatio);
        for (RuleCode code : Settings.defaultMinimumDays().keySet()) {
            if (!minimumDays.containsKey(code)) {
                throw new IllegalArgumentException("policy lacks minimum days for " + code);
            }
        }
    }

    /** The defaults of docs/clinical-rules.md. */
    public static ClinicPolicy defaults() {
        return new Settings().toPolicy();
    }

    /** This policy with another clinic time zone. */
    public ClinicPolicy withZone(ZoneId zone) {
        return new ClinicPolicy(zone, minimumDays, touchUpWindowCloseDays, doseCapWindowDays, doseCaps, futureSkew,
                typicalDoses, maleDoseUpliftPercent, laserSeriesWindowEndDays, laserSeriesDefaultSessions,
                laserMaintenanceMonths, twoWeekReviewDays, twoWeekReviewWindowEndDays, expectedIntervalFullDays,
                expectedIntervalLightDays, personalHistoryMinimum, postInjectionPhotoDays, postLaserPhotoDays,
                driftThresholdDays, onaEquivalentRatio, nextNeuromodulatorWindowDays, photoCheckpointWindowDays);
    }

    public int minimumDays(RuleCode code) {
        Integer days = minimumDays.get(code);
        if (days == null) throw new IllegalArgumentException(code + " has no minimum days");
        return days;
    }

    /**
     * The policy's values, each starting at its named default. A plain JavaBean so that a configuration framework
     * can bind onto it without this module knowing one (ledger-api binds {@code ledger.policy.*}): maps start
     * filled and mutable, so an override of one key keeps the others.
     */
    public static final class Settings {

        /** The clinic's time zone for day counting. */
        private ZoneId zone = ZoneId.of("UTC");

        /** Per timing rule, the least number of days d allowed (the values of docs/clinical-rules.md). */
        private final Map<RuleCode, Integer> minimumDays = defaultMinimumDays();

        /** TOUCH_UP_WITHOUT_CYCLE: a touch-up more than this many days after its cycle's start is outside the cycle. */
        private int touchUpWindowCloseDays = 42;

        /** CUMULATIVE_DOSE_CAP: entries fewer than this many days before the new one count toward the cap. */
        private int doseCapWindowDays = 90;

        /** CUMULATIVE_DOSE_CAP: units per product within the window; a product without a cap is uncapped. */
        private final Map<Product, BigDecimal> doseCaps = new EnumMap<>(Map.of(
                Product.ONABOTULINUMTOXIN_A, BigDecimal.valueOf(400)));

        /** FUTURE_EVENT: the clock skew tolerated. */
        private Duration futureSkew = Duration.ofMinutes(5);

        /**
         * DOSE_ABOVE_TYPICAL: typical units per product and site (per side for paired sites), as changes to
         * {@link #DEFAULT_TYPICAL_DOSES}: a bound left out keeps its default; a site without a default needs both.
         * Kept apart from the defaults because a binder replaces a nested map's entry whole.
         */
        private final Map<Product, Map<Site, Range>> typicalDoses = new EnumMap<>(Product.class);

        /** DOSE_ABOVE_TYPICAL: men typically need up to this many percent more. */
        private int maleDoseUpliftPercent = 30;

        /** LASER_SERIES_SPACING: the next session's window ends this many days after the last (it opens at the rule's minimum). */
        private int laserSeriesWindowEndDays = 42;

        /** A laser series' planned number of sessions when the session does not say. */
        private int laserSeriesDefaultSessions = 3;

        /** Maintenance after a completed laser series: from and to this many months after its last session. */
        private final Months laserMaintenanceMonths = new Months(6, 12);

        /** Schedule: the two-week review is due this many days after the cycle's start. */
        private int twoWeekReviewDays = 14;

        /** Schedule: the two-week review's window ends this many days after the cycle's start. */
        private int twoWeekReviewWindowEndDays = 21;

        /** Schedule: the next neuromodulator, for FULL intent without personal history, this many days after the start. */
        private int expectedIntervalFullDays = 90;

        /** Schedule: likewise for LIGHT and HALF_DOSE_TRIAL intent. */
        private int expectedIntervalLightDays = 120;

        /** Schedule: the patient's own durations or intervals needed before they set the expected interval. */
        private int personalHistoryMinimum = 2;

        /** Schedule: the post-injection review photo is due this many days after the cycle's start. */
        private int postInjectionPhotoDays = 14;

        /** Schedule: the post-laser photo is due this many days after the latest laser session. */
        private int postLaserPhotoDays = 7;

        /** Drift: an interval at least this many days shorter or longer than expected is shortened or extended. */
        private int driftThresholdDays = 14;

        /**
         * Units of a product per onabotulinumtoxinA unit, where a ratio is established: incobotulinumtoxinA about
         * 1:1, abobotulinumtoxinA 2.5 (the low end of 2.5-3); the others none.
         */
        private final Map<Product, BigDecimal> onaEquivalentRatio = new EnumMap<>(Map.of(
                Product.ONABOTULINUMTOXIN_A, BigDecimal.ONE,
                Product.INCOBOTULINUMTOXIN_A, BigDecimal.ONE,
                Product.ABOBOTULINUMTOXIN_A, new BigDecimal("2.5")));

        /** Schedule: "every three to four months", so the next neuromodulator's window runs this long after its due date. */
        private int nextNeuromodulatorWindowDays = 30;

        /** Schedule: a post-injection or post-laser photo's window runs this long after its due date. */
        private int photoCheckpointWindowDays = 7;

        static Map<RuleCode, Integer> defaultMinimumDays() {
            Map<RuleCode, Integer> m = new EnumMap<>(RuleCode.class);
            m.put(RuleCode.LASER_AFTER_TOXIN_LIGHT, 10);
            m.put(RuleCode.LASER_AFTER_TOUCH_UP, 3);
            m.put(RuleCode.LASER_AFTER_TOXIN_ABLATIVE, 14);
            m.put(RuleCode.LASER_AFTER_PERIOCULAR_TOXIN, 21);
            m.put(RuleCode.LASER_NECK_AFTER_PLATYSMA, 21);
            m.put(RuleCode.LASER_SERIES_SPACING, 28);
            m.put(RuleCode.TOUCH_UP_TOO_EARLY, 14);
            m.put(RuleCode.RETREATMENT_TOO_SOON, 84);
            return m;
        }

        /** DOSE_ABOVE_TYPICAL's typical ranges: onabotulinumtoxinA at the forehead, glabella and crow's feet. */
        public static final Map<Product, Map<Site, DoseRange>> DEFAULT_TYPICAL_DOSES = Map.of(
                Product.ONABOTULINUMTOXIN_A, Map.of(
                        Site.FOREHEAD, DoseRange.of(8, 20),
                        Site.GLABELLA, DoseRange.of(10, 20),
                        Site.CROWS_FEET_LEFT, DoseRange.of(6, 12),
                        Site.CROWS_FEET_RIGHT, DoseRange.of(6, 12)));

        /** The immutable policy of these values; refuses one that lacks a timing rule's minimum. */
        public ClinicPolicy toPolicy() {
            Map<Product, Map<Site, DoseRange>> typical = new EnumMap<>(Product.class);
            DEFAULT_TYPICAL_DOSES.forEach((product, sites) -> typical.put(product, new EnumMap<>(sites)));
            typicalDoses.forEach((product, sites) -> sites.forEach((site, range) -> {
                Map<Site, DoseRange> ranges = typical.computeIfAbsent(product, p -> new EnumMap<>(Site.class));
                ranges.put(site, range.over(ranges.get(site), product, site));
            }));
            return new ClinicPolicy(zone, minimumDays, touchUpWindowCloseDays, doseCapWindowDays, doseCaps,
                    futureSkew, typical, maleDoseUpliftPercent, laserSeriesWindowEndDays, laserSeriesDefaultSessions,
                    new MonthRange(laserMaintenanceMonths.getFrom(), laserMaintenanceMonths.getTo()),
                    twoWeekReviewDays, twoWeekReviewWindowEndDays, expectedIntervalFullDays,
                    expectedIntervalLightDays, personalHistoryMinimum, postInjectionPhotoDays, postLaserPhotoDays,
                    driftThresholdDays, onaEquivalentRatio, nextNeuromodulatorWindowDays, photoCheckpointWindowDays);
        }

        /** A typical dose range, mutable so that one bound can be overridden alone. */
        public static final class Range {
            private BigDecimal min;
            private BigDecimal max;

            public Range() { }

            public BigDecimal getMin() { return min; }

            public void setMin(BigDecimal min) { this.min = min; }

            public BigDecimal getMax() { return max; }

            public void setMax(BigDecimal max) { this.max = max; }

            /** This change applied to {@code base} (null where the site has no default). */
            DoseRange over(DoseRange base, Product product, Site site) {
                BigDecimal lo = min != null ? min : base == null ? null : base.min();
                BigDecimal hi = max != null ? max : base == null ? null : base.max();
                if (lo == null || hi == null) {
                    throw new IllegalArgumentException("typical dose of " + product + " at " + site + " needs min and max");
                }
                return new DoseRange(lo, hi);
            }
        }

        /** A span of months, mutable so that one end can be overridden alone. */
        public static final class Months {
            private int from;
            private int to;

            Months(int from, int to) {
                this.from = from;
                this.to = to;
            }

            public int getFrom() { return from; }

            public void setFrom(int from) { this.from = from; }

            public int getTo() { return to; }

            public void setTo(int to) { this.to = to; }
        }

        public ZoneId getZone() { return zone; }

        public void setZone(ZoneId zone) { this.zone = zone; }

        public Map<RuleCode, Integer> getMinimumDays() { return minimumDays; }

        public int getTouchUpWindowCloseDays() { return touchUpWindowCloseDays; }

        public void setTouchUpWindowCloseDays(int days) { this.touchUpWindowCloseDays = days; }

        public int getDoseCapWindowDays() { return doseCapWindowDays; }

        public void setDoseCapWindowDays(int days) { this.doseCapWindowDays = days; }

        public Map<Product, BigDecimal> getDoseCaps() { return doseCaps; }

        public Duration getFutureSkew() { return futureSkew; }

        public void setFutureSkew(Duration futureSkew) { this.futureSkew = futureSkew; }

        public Map<Product, Map<Site, Range>> getTypicalDoses() { return typicalDoses; }

        public int getMaleDoseUpliftPercent() { return maleDoseUpliftPercent; }

        public void setMaleDoseUpliftPercent(int percent) { this.maleDoseUpliftPercent = percent; }

        public int getLaserSeriesWindowEndDays() { return laserSeriesWindowEndDays; }

        public void setLaserSeriesWindowEndDays(int days) { this.laserSeriesWindowEndDays = days; }

        public int getLaserSeriesDefaultSessions() { return laserSeriesDefaultSessions; }

        public void setLaserSeriesDefaultSessions(int sessions) { this.laserSeriesDefaultSessions = sessions; }

        public Months getLaserMaintenanceMonths() { return laserMaintenanceMonths; }

        public int getTwoWeekReviewDays() { return twoWeekReviewDays; }

        public void setTwoWeekReviewDays(int days) { this.twoWeekReviewDays = days; }

        public int getTwoWeekReviewWindowEndDays() { return twoWeekReviewWindowEndDays; }

        public void setTwoWeekReviewWindowEndDays(int days) { this.twoWeekReviewWindowEndDays = days; }

        public int getExpectedIntervalFullDays() { return expectedIntervalFullDays; }

        public void setExpectedIntervalFullDays(int days) { this.expectedIntervalFullDays = days; }

        public int getExpectedIntervalLightDays() { return expectedIntervalLightDays; }

        public void setExpectedIntervalLightDays(int days) { this.expectedIntervalLightDays = days; }

        public int getPersonalHistoryMinimum() { return personalHistoryMinimum; }

        public void setPersonalHistoryMinimum(int minimum) { this.personalHistoryMinimum = minimum; }

        public int getPostInjectionPhotoDays() { return postInjectionPhotoDays; }

        public void setPostInjectionPhotoDays(int days) { this.postInjectionPhotoDays = days; }

        public int getPostLaserPhotoDays() { return postLaserPhotoDays; }

        public void setPostLaserPhotoDays(int days) { this.postLaserPhotoDays = days; }

        public int getDriftThresholdDays() { return driftThresholdDays; }

        public void setDriftThresholdDays(int days) { this.driftThresholdDays = days; }

        public Map<Product, BigDecimal> getOnaEquivalentRatio() { return onaEquivalentRatio; }

        public int getNextNeuromodulatorWindowDays() { return nextNeuromodulatorWindowDays; }

        public void setNextNeuromodulatorWindowDays(int days) { this.nextNeuromodulatorWindowDays = days; }

        public int getPhotoCheckpointWindowDays() { return photoCheckpointWindowDays; }

        public void setPhotoCheckpointWindowDays(int days) { this.photoCheckpointWindowDays = days; }
    }
}
