package org.treatmentledger.projections.store;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.treatmentledger.core.api.PatientEvent;

import java.util.Set;

/**
 * Narrows a read model's {@code PatientEvent} handler to the events its {@link ReadModelEvents} names. Axon asks
 * a handler whether it can handle an event by its payload type, which it knows without deserialising, so a
 * pooled processor skips the other events entirely. Registered through META-INF/services.
 */
public class ReadModelEventsFilter implements HandlerEnhancerDefinition {

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        // Only the PatientEvent event handlers; reset handlers and query handlers stay as they are.
        if (original.payloadType() != PatientEvent.class || !original.canHandleMessageType(EventMessage.class)) {
            return original;
        }
        Set<Class<?>> declared = ReadModelEvents.Of.declaredBy(original.declaringClass());
        if (declared == null) return original;
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public boolean canHandle(Message<?> message) {
                return declared.contains(message.getPayloadType()) && super.canHandle(message);
            }
        };
    }
}
