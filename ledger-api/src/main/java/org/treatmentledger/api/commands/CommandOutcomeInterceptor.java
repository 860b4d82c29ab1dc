package org.treatmentledger.api.commands;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;
import org.treatmentledger.core.rules.RuleViolationException;

/**
 * Runs where the command is handled: counts accepted and refused commands (ledger.commands.accepted
 * {command}, ledger.commands.refused {command, rule}) and wraps a refusal into a CommandExecutionException
 * whose details ({@link Refusal}) survive a trip through Axon Server. The original exception stays the cause.
 */
@Component
public class CommandOutcomeInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {

    private final MeterRegistry meters;

    public CommandOutcomeInterceptor(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        String command = simpleName(unitOfWork.getMessage().getCommandName());
        try {
            Object result = chain.proceed();
            unitOfWork.afterCommit(u -> meters.counter("ledger.commands.accepted", "command", command).increment());
            return result;
        } catch (RuleViolationException e) {
            meters.counter("ledger.commands.refused", "command", command, "rule", e.code().name()).increment();
            throw new CommandExecutionException(e.getMessage(), e, Refusal.of(e));
        }
    }

    static String simpleName(String commandName) {
        int dot = commandName.lastIndexOf('.');
        return dot < 0 ? commandName : commandName.substring(dot + 1);
    }
}
