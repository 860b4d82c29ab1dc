package org.treatmentledger.api.http;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import org.axonframework.axonserver.connector.AxonServerException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.distributed.CommandDispatchException;
import org.axonframework.common.AxonTransientException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.treatmentledger.api.consistency.ReadModelBehindException;
import org.treatmentledger.api.commands.Refusal;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Every error as application/problem+json: 400 with {@code errors: [{field, message}]}, 403, 404, 409/422
 * with the rule {@code code}, 413 for a body over the limit, 503 when the command/query infrastructure is
 * unreachable, and a generic 500 without internals for anything unexpected. Bodies never contain stack traces or
 * personal data. Errors outside Spring MVC: ProblemErrorController (/error) and ProblemErrorReportValve (Tomcat).
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    // ---- 400 ----------------------------------------------------------------------------------------

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        RequestBodyLimitFilter.BodyTooLargeException tooLarge = RequestBodyLimitFilter.find(ex);
        if (tooLarge != null) return problemResponse(RequestBodyLimitFilter.problem(tooLarge.maxBytes()));
        return problemResponse(readProblem(ex.getCause(), ""));
    }

    /** Describes a Jackson failure as a 400 with the offending field's JSON path; {@code prefix} for nested bodies. */
    public static ProblemDetail readProblem(Throwable cause, String prefix) {
        ProblemDetail duplicate = duplicateField(cause, prefix);
        if (duplicate != null) return duplicate;
        if (cause instanceof UnrecognizedPropertyException e) {
            String field = join(prefix, path(e));
            return Problems.badRequest("Unknown field '" + e.getPropertyName() + "'",
                    List.of(new Problems.FieldError(field, "unknown field; not accepted from clients")));
        }
        if (cause instanceof InvalidFormatException e) {
            String field = join(prefix, path(e));
            String message;
            if (e.getTargetType() != null && e.getTargetType().isEnum()) {
                message = "unknown value '" + e.getValue() + "'; allowed: " + Arrays.toString(e.getTargetType().getEnumConstants());
            } else {
                message = "invalid value '" + e.getValue() + "' for type " + typeName(e.getTargetType());
            }
            return Problems.badRequest("Invalid value for '" + field + "'", List.of(new Problems.FieldError(field, message)));
        }
        if (cause instanceof MismatchedInputException e) {
            String field = join(prefix, path(e));
            return Problems.badRequest("Wrong type for '" + field + "'",
                    List.of(new Problems.FieldError(field, "expected " + typeName(e.getTargetType()))));
        }
        if (cause instanceof JsonMappingException e) {
            String field = join(prefix, path(e));
            Throwable root = e.getCause() != null ? e.getCause() : e;
            return Problems.badRequest("Invalid value for '" + field + "'",
                    List.of(new Problems.FieldError(field, safeMessage(root))));
        }
        if (cause instanceof JsonProcessingException e) {
            String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr();
            return Problems.badRequest("Malformed JSON" + location,
                    List.of(new Problems.FieldError(prefix.isEmpty() ? "$" : prefix, "malformed JSON" + location)));
        }
        return Problems.badRequest("The request body is missing or unreadable",
                List.of(new Problems.FieldError(prefix.isEmpty() ? "$" : prefix, "a JSON body is required")));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<Problems.FieldError> errors = new ArrayList<>();
        ex.getBindingResult().getFieldErrors().forEach(e ->
                errors.add(new Problems.FieldError(e.getField(), e.getDefaultMessage())));
        ex.getBindingResult().getGlobalErrors().forEach(e ->
                errors.add(new Problems.FieldError(e.getObjectName(), e.getDefaultMessage())));
        errors.sort(Comparator.comparing(Problems.FieldError::field));
        return problemResponse(Problems.badRequest("The request is invalid", errors));
    }

    @ExceptionHandler(InvalidBodyException.class)
    ResponseEntity<ProblemDetail> invalidBody(InvalidBodyException e) {
        return Problems.entity(e.problem());
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException e) {
        List<Problems.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problems.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                .sorted(Comparator.comparing(Problems.FieldError::field))
                .toList();
        return Problems.entity(Problems.badRequest("The request is invalid", errors));
    }

    /**
     * A value the domain's own types refuse (a blank patient id in the path, units out of range) that
     * request validation did not catch first: the caller's input is at fault, so 400, never a 500.
     */
    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> illegalArgument(IllegalArgumentException e) {
        return Problems.entity(Problems.badRequest("The request is invalid",
                List.of(new Problems.FieldError("", e.getMessage() == null ? "invalid value" : e.getMessage()))));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "value" : typeName(e.getRequiredType());
        return Problems.entity(Problems.badRequest("Invalid value for '" + e.getName() + "'",
                List.of(new Problems.FieldError(e.getName(), "expected " + expected))));
    }

    // ---- 403 ----------------------------------------------------------------------------------------

    @ExceptionHandler({AccessDeniedException.class, AuthorizationDeniedException.class})
    ResponseEntity<ProblemDetail> forbidden(RuntimeException e) {
        return Problems.entity(Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()));
    }

    // ---- rule refusals, 404 -------------------------------------------------------------------------

    @ExceptionHandler(RuleViolationException.class)
    ResponseEntity<ProblemDetail> refused(RuleViolationException e) {
        return Problems.entity(refusalProblem(Refusal.of(e)));
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> aggregateNotFound(AggregateNotFoundException e) {
        return Problems.entity(notFound("PATIENT_NOT_FOUND", "No patient with id " + e.getAggregateIdentifier()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return Problems.entity(notFound(e.code(), e.getMessage()));
    }

    @ExceptionHandler(CommandExecutionException.class)
    ResponseEntity<ProblemDetail> commandFailed(CommandExecutionException e) {
        Optional<Refusal> refusal = refusalOf(e);
        if (refusal.isPresent()) return Problems.entity(refusalProblem(refusal.get()));
        Throwable cause = e.getCause();
        if (cause instanceof AggregateNotFoundException notFound) return aggregateNotFound(notFound);
        if (cause instanceof RuleViolationException violation) return refused(violation);
        if (cause instanceof AxonServerException || cause instanceof AxonTransientException
                || cause instanceof io.axoniq.axonserver.connector.AxonServerException) {
            return unavailable(e);
        }
        // A remote handler's AggregateNotFoundException arrives as a message only.
        if (e.getMessage() != null && e.getMessage().contains("AggregateNotFoundException")) {
            return Problems.entity(notFound("PATIENT_NOT_FOUND", "No such patient"));
        }
        return unexpected(e);
    }

    /** Registering an id that already has a stream (only possible when an idempotent retry re-runs a registration). */
    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> alreadyRegistered(RuntimeException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "PATIENT_ALREADY_REGISTERED", "Conflicts with the ledger's state",
                "A patient with this id is already registered");
        problem.setProperty("code", "PATIENT_ALREADY_REGISTERED");
        return Problems.entity(problem);
    }

    /** Two writes to one patient at the same moment: the later one lost the race and recorded nothing. */
    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(RuntimeException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONFLICT, "CONCURRENT_MODIFICATION", "Concurrent modification",
                "Other entries were recorded for this patient at the same moment, also on the automatic retries; nothing was recorded, retry the request");
        problem.setProperty("code", "CONCURRENT_MODIFICATION");
        problem.setProperty("retryable", true);
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    // ---- 503 ----------------------------------------------------------------------------------------

    @ExceptionHandler(ReadModelBehindException.class)
    ResponseEntity<ProblemDetail> readModelBehind(ReadModelBehindException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "read-model-behind", "Read model behind",
                "The patient is recorded, but the read models have not caught up with its latest write yet (they lag, "
                        + "or a rebuild is running). Nothing is lost; retry shortly.");
        problem.setProperty("code", "READ_MODEL_BEHIND");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    // Two AxonServerExceptions: the framework's, and the connector library's (a dispatch on a dead channel).
    @ExceptionHandler({ServiceUnavailableException.class, AxonServerException.class,
            io.axoniq.axonserver.connector.AxonServerException.class, NoHandlerForCommandException.class,
            NoHandlerForQueryException.class, CommandDispatchException.class, AxonTransientException.class,
            org.springframework.dao.DataAccessResourceFailureException.class,
            org.springframework.transaction.CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        // Not the messages of a database failure: Axon's and the driver's quote the failed SQL with its values.
        log.warn("Ledger unavailable: {}", Problems.databaseUnavailable(e) ? Problems.causeChain(e)
                : e.getClass().getSimpleName() + ": " + e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Problems.UNAVAILABLE_RETRY_AFTER_SECONDS)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.unavailable());
    }

    // ---- 500 ----------------------------------------------------------------------------------------

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        // The database unreachable reaches here wrapped by whichever layer met it first (Axon's event store,
        // a transaction manager, the query bus), so it is recognised by its cause.
        if (Problems.databaseUnavailable(e)) return unavailable(e);
        log.error("Unexpected error while handling a request", e);
        ProblemDetail problem = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The request could not be completed because of an internal error. It has been logged.");
        return Problems.entity(problem);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response == null) return null;
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(response.getBody());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    public static Optional<Refusal> refusalOf(CommandExecutionException e) {
        Optional<Object> details = e.getDetails();
        if (details.isPresent() && details.get() instanceof Refusal refusal) return Optional.of(refusal);
        if (e.getCause() instanceof RuleViolationException violation) return Optional.of(Refusal.of(violation));
        return Optional.empty();
    }

    static ProblemDetail refusalProblem(Refusal refusal) {
        RuleCode code = refusal.code();
        HttpStatus status = switch (code.kind()) {
            case TIMING, LEDGER_STATE -> HttpStatus.CONFLICT;
            case LEDGER_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case INTEGRITY, LEDGER_INVALID, ADVISORY -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
        String title = switch (code.kind()) {
            case TIMING -> "Refused by a timing rule";
            case INTEGRITY -> "Refused by an integrity rule";
            case LEDGER_STATE -> "Conflicts with the ledger's state";
            case LEDGER_NOT_FOUND -> "Not found";
            default -> "Invalid entry";
        };
        ProblemDetail problem = Problems.problem(status, code.name(), title, refusal.detail());
        problem.setProperty("code", code.name());
        if (refusal.earliestAllowed() != null) {
            problem.setProperty("earliestAllowed", refusal.earliestAllowed().toString());
        }
        problem.setProperty("overridable", code.isOverridable());
        problem.setProperty("violations", refusal.violations().stream().map(v -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("code", v.code().name());
            item.put("detail", v.detail());
            if (v.earliestAllowed() != null) item.put("earliestAllowed", v.earliestAllowed().toString());
            if (v.subjectEntryId() != null) item.put("subjectEntryId", v.subjectEntryId());
            if (v.causeEntryId() != null) item.put("causeEntryId", v.causeEntryId());
            return item;
        }).toList());
        return problem;
    }

    static ProblemDetail notFound(String code, String detail) {
        return Problems.notFound(code, detail);
    }

    private static ResponseEntity<Object> problemResponse(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * A field given twice (spring.jackson.parser.strict-duplicate-detection), as the parser reports it, possibly
     * wrapped by databind. The parser stands on the repeated field; its name is in the message too ("Duplicate
     * field 'units'").
     */
    private static ProblemDetail duplicateField(Throwable cause, String prefix) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException e && e.getProcessor() != null
                    && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                String message = e.getOriginalMessage();
                String name = message.indexOf('\'') < message.lastIndexOf('\'')
                        ? message.substring(message.indexOf('\'') + 1, message.lastIndexOf('\'')) : "";
                String at = dotted(e.getProcessor().getParsingContext().pathAsPointer().toString());
                String field = join(prefix, at.isEmpty() ? name : at);
                return Problems.badRequest("Duplicate field '" + field + "'",
                        List.of(new Problems.FieldError(field, "given more than once")));
            }
        }
        return null;
    }

    /** "/sites/0/units" as "sites[0].units". */
    private static String dotted(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String step : pointer.split("/")) {
            if (step.isEmpty()) continue;
            String name = step.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) sb.append('[').append(name).append(']');
            else sb.append(sb.isEmpty() ? "" : ".").append(name);
        }
        return sb.toString();
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) return path.isEmpty() ? "$" : path;
        return path.isEmpty() ? prefix : prefix + "." + path;
    }

    private static String typeName(Class<?> type) {
        if (type == null) return "a different type";
        if (type.isEnum()) return "one of " + Arrays.toString(type.getEnumConstants());
        if (Collection.class.isAssignableFrom(type)) return "an array";
        if (type == Instant.class) return "an ISO-8601 instant with offset, e.g. 2026-03-02T09:30:00Z";
        if (type == LocalDate.class) return "an ISO date, e.g. 2026-03-12";
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) return "a number";
        if (type == String.class) return "a string";
        return "an object";
    }

    private static String safeMessage(Throwable t) {
        // Only our own value types' messages (e.g. "patient id is blank"); never a class dump.
        String message = t.getMessage();
        if (message == null || message.length() > 200 || message.contains("\n")) return "invalid value";
        return message;
    }
}
