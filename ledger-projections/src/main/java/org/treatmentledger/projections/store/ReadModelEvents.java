package org.treatmentledger.projections.store;

import org.treatmentledger.core.api.PatientEvent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The patient events a read model needs. Its processor then skips every other event before deserialising it or
 * opening a unit of work for it ({@link ReadModelEventsFilter}), and its handler ignores them if called directly.
 * Without it a read model handles every event.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ReadModelEvents {

    Class<? extends PatientEvent>[] value();

    /** The declared events of a read model class, looked up once per class. */
    final class Of {
        private static final ClassValue<Set<Class<?>>> DECLARED = new ClassValue<>() {
            @Override
            protected Set<Class<?>> computeValue(Class<?> type) {
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    ReadModelEvents declared = c.getAnnotation(ReadModelEvents.class);
                    if (declared != null) return Set.of(declared.value());
                }
                return null;
            }
        };

        private Of() { }

        /** The events {@code readModel} declares, or null when it declares none (it takes every event). */
        public static Set<Class<?>> declaredBy(Class<?> readModel) {
            return DECLARED.get(readModel);
        }

        private static final ClassValue<Set<String>> TYPE_NAMES = new ClassValue<>() {
            @Override
            protected Set<String> computeValue(Class<?> type) {
                Set<Class<?>> declared = declaredBy(type);
                if (declared == null) throw new IllegalArgumentException(type.getName() + " declares no @ReadModelEvents");
                return declared.stream().map(Class::getSimpleName).collect(Collectors.toUnmodifiableSet());
            }
        };

        /** The stored type names ({@code event_type}, the simple class names) of the events {@code readModel} declares. */
        public static Set<String> typeNamesOf(Class<?> readModel) {
            return TYPE_NAMES.get(readModel);
        }

        /** Whether {@code readModel} needs events of {@code eventType}: it declares it, or declares none (takes all). */
        public static boolean readModelNeeds(Class<?> readModel, Class<?> eventType) {
            Set<Class<?>> declared = declaredBy(readModel);
            return declared == null || declared.contains(eventType);
        }
    }
}
