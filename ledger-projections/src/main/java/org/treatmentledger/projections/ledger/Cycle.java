package org.treatmentledger.projections.ledger;

import org.treatmentledger.core.api.ClinicalEntry;
import org.treatmentledger.core.api.CycleFactorReported;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.LaserSessionRecorded;
import org.treatmentledger.core.api.MovementReturnObserved;
import org.treatmentledger.core.api.PhotoCheckpointRecorded;
import org.treatmentledger.core.api.TouchUpRecorded;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.time.ZoneId;

/**
 * One treatment cycle as the read models derive it from the effective timeline ({@link
 * org.treatmentledger.core.rules.timeline.CycleModel}): it starts with an initial injection and holds every entry
 * from that start up to (not including) the next initial injection in ledger order (occurredAt, then first
 * recorded). {@code number} is 1-based in that order of the counting injections, so a voided or backdated
 * injection renumbers the cycles after it.
 */
public record Cycle(int number, InjectionRecorded start, LocalDate startDate, Instant nextStart,
                    LocalDate nextStartDate, List<ClinicalEntry> entries) {

    public boolean isOpen() { return nextStart == null; }

    public List<TouchUpRecorded> touchUps() { return of(TouchUpRecorded.class); }

    public List<MovementReturnObserved> movementReturns() { return of(MovementReturnObserved.class); }

    public List<LaserSessionRecorded> laserSessions() { return of(LaserSessionRecorded.class); }

    public List<CycleFactorReported> factors() { return of(CycleFactorReported.class); }

    public List<PhotoCheckpointRecorded> photos() { return of(PhotoCheckpointRecorded.class); }

    /** Days from the start to the first movement return recorded in this cycle. */
    public Optional<Integer> movementReturnDays(ZoneId zone) {
        return movementReturns().stream().findFirst()
                .map(m -> LedgerDates.daysBetween(startDate, LedgerDates.date(m.occurredAt(), zone)));
    }

    /** Days from this cycle's start to the next one's; empty while the cycle is open. */
    public Optional<Integer> intervalDays() {
        return nextStartDate == null ? Optional.empty()
                : Optional.of(LedgerDates.daysBetween(startDate, nextStartDate));
    }

    private <T extends ClinicalEntry> List<T> of(Class<T> type) {
        return entries.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
