package org.treatmentledger.api.http;

import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.treatmentledger.api.LedgerAxonProperties;
import org.treatmentledger.core.api.PatientEvent;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The controllers' only way into Axon: sends commands with the authenticated user as {@code recordedBy}
 * metadata and waits a bounded time (a hung Axon Server or database answers 503, never a hanging request),
 * and asks queries for optional views.
 */
@Component
public class LedgerGateway {

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final LedgerAxonProperties properties;

    public LedgerGateway(CommandGateway commands, QueryGateway queries, LedgerAxonProperties properties) {
        this.commands = commands;
        this.queries = queries;
        this.properties = properties;
    }

    /**
     * Sends a command as the current user; rethrows the handler's exception (see ProblemHandler). A command that
     * lost a concurrent write is re-sent by the command gateway's retry scheduler
     * (commands.ConflictRetryScheduler, {@code ledger.cluster.command-retries} times); only when every attempt
     * conflicts does the caller see the ConcurrencyException (409 CONCURRENT_MODIFICATION, retryable).
     */
    public <R> R send(Object command) {
        MetaData metaData = MetaData.with(PatientEvent.RECORDED_BY, currentUser());
        CompletableFuture<R> result;
        try {
            result = commands.send(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        return await(result, properties.commandTimeout().toMillis(), "command");
    }

    /** Asks a query whose handler answers Optional&lt;view&gt;; empty means unknown to the read model. */
    public <Q, V> Optional<V> queryOptional(Q query, Class<V> viewType) {
        CompletableFuture<Optional<V>> result;
        try {
            result = queries.query(query, ResponseTypes.optionalInstanceOf(viewType));
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        return await(result, properties.queryTimeout().toMillis(), "query");
    }

    /** Asks a query whose handler answers the view itself. */
    public <Q, V> V query(Q query, Class<V> viewType) {
        CompletableFuture<V> result;
        try {
            result = queries.query(query, ResponseTypes.instanceOf(viewType));
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        return await(result, properties.queryTimeout().toMillis(), "query");
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMillis, String what) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ServiceUnavailableException("The ledger did not answer the " + what + " within "
                    + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("Interrupted while waiting for the " + what, e);
        }
    }

    static RuntimeException unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        if (current instanceof RuntimeException runtime) return runtime;
        if (current instanceof Error error) throw error;
        return new CommandExecutionException(String.valueOf(current.getMessage()), current);
    }

    public static String currentUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication.getName() == null) {
            throw new IllegalStateException("no authenticated user");
        }
        return authentication.getName();
    }
}
