package org.treatmentledger.core.personaldata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A field of an event that identifies the patient (its data subject, {@link DataSubject}): stored encrypted under the
 * patient's data key by {@link PersonalDataModule}, read as null once that key is destroyed (erasure). On a record
 * component it reaches the component's field, accessor and constructor parameter, where Jackson looks for it.
 * Clinical facts are never marked: they stay in clear and survive erasure.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface PersonalData {
}
