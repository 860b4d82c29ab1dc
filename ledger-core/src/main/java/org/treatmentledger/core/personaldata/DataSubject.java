package org.treatmentledger.core.personaldata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The accessor naming whose data an event's {@link PersonalData} fields are: their data key is that subject's.
 * On {@code PatientEvent.patientId()}, so every patient event (and anything nested in it, such as an amend's
 * replacement or a photo's images) is encrypted under its patient's key.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DataSubject {
}
