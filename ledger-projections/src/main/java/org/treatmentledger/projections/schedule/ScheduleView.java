package org.treatmentledger.projections.schedule;

import java.time.LocalDate;
import java.util.List;

/** GET /api/patients/{id}/schedule: {@code items} in due-date order; {@code today} is the date statuses use. */
public record ScheduleView(LocalDate today, List<ScheduleItem> items) {
    public ScheduleView {
        items = List.copyOf(items);
    }
}
