package org.treatmentledger.api.commands;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictRetrySchedulerTest {

    private final ConflictRetryScheduler scheduler = ConflictRetryScheduler.create(2);
    private final CommandMessage<?> command = GenericCommandMessage.asCommandMessage("a command");

    @AfterEach
    void stop() {
        scheduler.shutdown();
    }

    private static List<Class<? extends Throwable>[]> failures(int n) {
        List<Class<? extends Throwable>[]> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new Class[] {ConcurrencyException.class});
        return list;
    }

    /** The store's conflict carries its duplicate-key error as the cause; the conflict is still retried. */
    @Test
    void aConflictIsSentAgainUpToTheConfiguredTimes() throws InterruptedException {
        var conflict = new ConcurrencyException("sequence taken", new EventStoreException("duplicate key"));
        CountDownLatch dispatched = new CountDownLatch(2);

        assertThat(scheduler.scheduleRetry(command, conflict, failures(1), dispatched::countDown)).isTrue();
        assertThat(scheduler.scheduleRetry(command, conflict, failures(2), dispatched::countDown)).isTrue();
        assertThat(scheduler.scheduleRetry(command, conflict, failures(3), dispatched::countDown)).isFalse();

        assertThat(dispatched.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.retries()).isEqualTo(2);
    }

    @Test
    void anyOtherFailureIsAnsweredAtOnce() {
        assertThat(scheduler.scheduleRetry(command, new IllegalStateException("refused"), failures(1), () -> { })).isFalse();
        assertThat(scheduler.scheduleRetry(command, new EventStoreException("database down",
                new ConcurrencyException("nested")), failures(1), () -> { })).isFalse();
        assertThat(scheduler.retries()).isZero();
    }
}
