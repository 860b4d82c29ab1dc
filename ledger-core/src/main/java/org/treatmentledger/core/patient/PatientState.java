package org.treatmentledger.core.patient;

import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.rules.timeline.Timeline;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link Patient} remembers of its events: what a snapshot stores ({@link Patient#state()}) and
 * restores ({@link Patient#restore}).
 *
 * @param entries                 every entry id on the stream with what the aggregate knows of it
 * @param voidedSideEffectReports the side effect ids of voided reports (still used: an id is never reused)
 */
public record PatientState(PatientId patientId, Instant registeredAt, Sex sex, Map<String, EntryRef> entries,
                           Set<String> voidedSideEffectReports, Timeline timeline) {
}
