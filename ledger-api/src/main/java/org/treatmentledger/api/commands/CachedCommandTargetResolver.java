package org.treatmentledger.api.commands;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.ReflectionUtils;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Axon's {@link AnnotationCommandTargetResolver}, with the annotated members looked up once per command class
 * instead of once per command. Axon's searches every method and field of the command's class and interfaces for
 * {@code @TargetAggregateIdentifier} and {@code @TargetAggregateVersion} on each command: on W1 at one client that
 * was about 6 KB of garbage and the largest share of the command thread's allocations (docs/PERFORMANCE.md). Same
 * contract as Axon 4.13's: methods before fields, the identifier's value as it is (its {@code toString()} as the
 * identifier string), the version as a long.
 */
public final class CachedCommandTargetResolver implements CommandTargetResolver {

    /** A command class's annotated members (either may be null: none). */
    private record Members(Accessor identifier, Accessor version) { }

    @FunctionalInterface
    private interface Accessor {
        Object read(Object command) throws IllegalAccessException, InvocationTargetException;
    }

    private final ClassValue<Members> members = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return new Members(find(type, TargetAggregateIdentifier.class), find(type, TargetAggregateVersion.class));
        }
    };

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Members found = members.get(command.getPayloadType());
        Object identifier;
        Object version;
        try {
            identifier = found.identifier() == null ? null : found.identifier().read(command.getPayload());
            version = found.version() == null ? null : found.version().read(command.getPayload());
        } catch (InvocationTargetException | IllegalAccessException e) {
            throw new IllegalArgumentException("cannot read the target aggregate of "
                    + command.getPayloadType().getSimpleName(), e);
        }
        if (identifier == null) {
            throw new IllegalArgumentException("Invalid command: " + command.getPayloadType().getSimpleName()
                    + " names no target aggregate (no non-null member annotated with @TargetAggregateIdentifier)");
        }
        return new VersionedAggregateIdentifier(identifier, asLong(version));
    }

    private static Accessor find(Class<?> type, Class<? extends Annotation> annotation) {
        for (Method method : ReflectionUtils.methodsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(method, annotation)) {
                ReflectionUtils.ensureAccessible(method);
                return method::invoke;
            }
        }
        for (Field field : ReflectionUtils.fieldsOf(type)) {
            if (AnnotationUtils.isAnnotationPresent(field, annotation)) {
                ReflectionUtils.ensureAccessible(field);
                return field::get;
            }
        }
        return null;
    }

    private static Long asLong(Object version) {
        if (version == null) return null;
        if (version instanceof Number number) return number.longValue();
        try {
            return Long.parseLong(version.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The value provided for the version is not a number.", e);
        }
    }
}
