package org.treatmentledger.core.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An entry a correction may amend or void. An amend carries its replacement as one of these, with the
 * target's entry id, so projections apply it with the same code as the original. The type name is in
 * the JSON ({@code entryType}) because a replacement is stored inside another event.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "entryType")
@JsonSubTypes({
        @JsonSubTypes.Type(value = InjectionRecorded.class, name = "INJECTION"),
        @JsonSubTypes.Type(value = TouchUpRecorded.class, name = "TOUCH_UP"),
        @JsonSubTypes.Type(value = LaserSessionRecorded.class, name = "LASER_SESSION"),
        @JsonSubTypes.Type(value = PhotoCheckpointRecorded.class, name = "PHOTO_CHECKPOINT"),
        @JsonSubTypes.Type(value = SideEffectReported.class, name = "SIDE_EFFECT_REPORTED"),
        @JsonSubTypes.Type(value = SideEffectResolved.class, name = "SIDE_EFFECT_RESOLVED"),
        @JsonSubTypes.Type(value = CycleFactorReported.class, name = "CYCLE_FACTOR"),
        @JsonSubTypes.Type(value = MovementReturnObserved.class, name = "MOVEMENT_RETURN")
})
public sealed interface ClinicalEntry extends PatientEvent permits InjectionRecorded, TouchUpRecorded,
        LaserSessionRecorded, PhotoCheckpointRecorded, SideEffectReported, SideEffectResolved,
        CycleFactorReported, MovementReturnObserved {
}
