package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.treatmentledger.core.personaldata.PersonalData;

import java.time.Instant;

/** The patient's ledger is opened. {@code occurredAt} is the registration time; nothing may precede it. */
public record PatientRegistered(PatientId patientId, String entryId, Instant occurredAt, String clinicId,
                                Sex sex, @PersonalData Integer birthYear, @PersonalData String externalRef) implements PatientEvent {
    @JsonIgnore
    @Override
    public EntryType entryType() { return EntryType.REGISTRATION; }
}
