package org.treatmentledger.projections.intervals;

import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.projections.ledger.ExpectedInterval;

import java.time.LocalDate;
import java.util.List;

/** GET /api/patients/{id}/intervals: one row per consecutive pair of cycles. */
public record IntervalsView(List<Interval> intervals) {

    public IntervalsView {
        intervals = List.copyOf(intervals);
    }

    /**
     * @param expectedDays  the schedule's expected interval when {@code fromCycle} started (history before it only)
     * @param expectedBasis what that expectation was derived from
     * @param driftDays     actualDays minus expectedDays
     * @param factors       distinct factor names reported from the first start up to (not including) the second
     */
    public record Interval(int fromCycle, int toCycle, LocalDate fromDate, LocalDate toDate, int actualDays,
                           int expectedDays, ExpectedInterval.Basis expectedBasis, int driftDays,
                           List<CycleFactor> factors, DriftClassification classification) { }
}
