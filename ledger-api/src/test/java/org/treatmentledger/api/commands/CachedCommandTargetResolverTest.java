package org.treatmentledger.api.commands;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.ErasePatient;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.VoidEntry;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cached resolver answers as Axon's annotation resolver does, for every shape of command it may meet. */
class CachedCommandTargetResolverTest {

    record Versioned(@TargetAggregateIdentifier PatientId patientId, @TargetAggregateVersion long expected) { }

    record VersionAsText(@TargetAggregateIdentifier String id, @TargetAggregateVersion String expected) { }

    static class FieldOnly {
        @TargetAggregateIdentifier
        private final String id;

        FieldOnly(String id) {
            this.id = id;
        }
    }

    static class MethodOnly {
        @TargetAggregateIdentifier
        public String target() {
            return "from-a-method";
        }
    }

    record Untargeted(String id) { }

    private final CachedCommandTargetResolver cached = new CachedCommandTargetResolver();
    private final AnnotationCommandTargetResolver axon = AnnotationCommandTargetResolver.builder().build();

    @Test
    void resolvesWhatAxonsAnnotationResolverResolves() {
        List<Object> commands = List.of(
                new ErasePatient(PatientId.of("p-1"), "asked"),
                new VoidEntry(PatientId.of("p-2"), "e-1", "e-0", "typo"),
                new Versioned(PatientId.of("p-3"), 7),
                new VersionAsText("p-4", "12"),
                new FieldOnly("p-5"),
                new MethodOnly());
        for (Object command : commands) {
            // Twice: the second answer comes from the cache.
            for (int i = 0; i < 2; i++) {
                VersionedAggregateIdentifier ours = cached.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                VersionedAggregateIdentifier theirs = axon.resolveTarget(GenericCommandMessage.asCommandMessage(command));
                assertThat(ours).as(command.toString()).isEqualTo(theirs);
                assertThat(ours.getIdentifierValue()).as(command.toString()).isEqualTo(theirs.getIdentifierValue());
                assertThat(ours.getIdentifier()).as(command.toString()).isEqualTo(theirs.getIdentifier());
                assertThat(ours.getVersion()).as(command.toString()).isEqualTo(theirs.getVersion());
            }
        }
        VersionedAggregateIdentifier versioned =
                cached.resolveTarget(GenericCommandMessage.asCommandMessage(new Versioned(PatientId.of("p-3"), 7)));
        assertThat(versioned.getIdentifierValue()).isEqualTo(PatientId.of("p-3"));
        assertThat(versioned.getIdentifier()).isEqualTo("p-3");
        assertThat(versioned.getVersion()).isEqualTo(7L);
    }

    @Test
    void refusesACommandWithoutATarget() {
        assertThatThrownBy(() -> cached.resolveTarget(GenericCommandMessage.asCommandMessage(new Untargeted("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Untargeted");
        assertThatThrownBy(() -> cached.resolveTarget(GenericCommandMessage.asCommandMessage(new FieldOnly(null))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAVersionThatIsNotANumber() {
        assertThatThrownBy(() -> cached.resolveTarget(
                GenericCommandMessage.asCommandMessage(new VersionAsText("p", "seven"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
