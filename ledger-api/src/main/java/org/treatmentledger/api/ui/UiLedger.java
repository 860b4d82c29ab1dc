package org.treatmentledger.api.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.axonframework.commandhandling.CommandExecutionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.api.clinics.ClinicScope;
import org.treatmentledger.api.commands.Refusal;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.ProblemHandler;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.rules.RuleViolationException;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the pages share: a form's fields read into the API's own request bodies (api.patient.WriteRequests, read by
 * the same JSON mapper and checked by the same Bean Validation), a write's outcome as the page shows it (a field
 * error, or a refusal with the rule's sentence and earliest date), the clinic's local time for form fields, and the
 * one read the API has no endpoint for: the list of the caller's clinics' patients, under row-level security.
 */
@Component
public class UiLedger {

    private final ObjectMapper mapper;
    private final Validator validator;
    private final JdbcTemplate jdbc;
    private final PlatformTransactionManager transactions;
    private final ZoneId zone;

    public UiLedger(ObjectMapper mapper, Validator validator, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                    ClinicPolicy policy) {
        this.mapper = mapper;
        this.validator = validator;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.zone = policy.zone();
    }

    public ZoneId zone() {
        return zone;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A form's datetime-local value (clinic time) as an instant, or null when blank or unreadable. */
    public String instant(String local) {
        if (local == null || local.isBlank()) return null;
        try {
            return LocalDateTime.parse(local).atZone(zone).toInstant().toString();
        } catch (RuntimeException e) {
            return local; // the request body's reader names the field
        }
    }

    /** Now in the clinic's zone, as a datetime-local value (the forms' default). */
    public String nowLocal() {
        return LocalDateTime.ofInstant(Instant.now(), zone).withSecond(0).withNano(0).toString();
    }

    /** The JSON body read as the API reads it, then validated as the API validates it. */
    public <T> T body(ObjectNode json, Class<T> type) {
        T body;
        try {
            body = mapper.treeToValue(json, type);
        } catch (Exception e) {
            Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
            throw new InvalidBodyException(ProblemHandler.readProblem(cause, ""));
        }
        List<String> errors = validator.validate(body).stream()
                .map((ConstraintViolation<T> v) -> v.getPropertyPath() + ": " + v.getMessage())
                .sorted(Comparator.naturalOrder()).toList();
        if (!errors.isEmpty()) throw new FormErrors(errors);
        return body;
    }

    /** The patients of the caller's clinics (row-level security narrows the rows), newest id order is arbitrary. */
    public List<String> patients(String idPrefix) {
        return ClinicScope.readOnly(transactions, () -> jdbc.queryForList(
                "SELECT patient_id FROM patient_clinic WHERE patient_id LIKE ? ORDER BY patient_id LIMIT 200",
                String.class, escapeLike(idPrefix == null ? "" : idPrefix.trim()) + "%"));
    }

    private static String escapeLike(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Runs a write; answers the page's outcome instead of an exception for what the user can act on. */
    public Outcome write(Supplier<Object> send) {
        try {
            return Outcome.done(send.get());
        } catch (FormErrors e) {
            return Outcome.invalid(e.errors, 400);
        } catch (InvalidBodyException e) {
            return Outcome.invalid(problemErrors(e.problem().getDetail(), e.problem().getProperties()), 400);
        } catch (RuleViolationException e) {
            return Outcome.refused(Refusal.of(e));
        } catch (CommandExecutionException e) {
            return ProblemHandler.refusalOf(e).map(Outcome::refused).orElseThrow(() -> e);
        }
    }

    private static List<String> problemErrors(String detail, Map<String, Object> properties) {
        List<String> errors = new ArrayList<>();
        Object list = properties == null ? null : properties.get("errors");
        if (list instanceof List<?> items) {
            for (Object item : items) {
                JsonNode node = new ObjectMapper().valueToTree(item);
                errors.add(node.path("field").asText() + ": " + node.path("message").asText());
            }
        }
        if (errors.isEmpty()) errors.add(detail);
        return errors;
    }

    /** Bean Validation's findings on a form's body. */
    static final class FormErrors extends RuntimeException {
        final List<String> errors;

        FormErrors(List<String> errors) {
            super(String.join("; ", errors));
            this.errors = errors;
        }
    }

    /** A write's result for the page: done (with the API's answer), invalid (400) or refused by a rule. */
    public record Outcome(Object answer, List<String> errors, Refusal refusal, int status) {
        static Outcome done(Object answer) { return new Outcome(answer, List.of(), null, 303); }
        static Outcome invalid(List<String> errors, int status) { return new Outcome(null, errors, null, status); }
        static Outcome refused(Refusal refusal) {
            int status = switch (refusal.code().kind()) {
                case TIMING, LEDGER_STATE -> 409;
                case LEDGER_NOT_FOUND -> 404;
                default -> 422;
            };
            return new Outcome(null, List.of(), refusal, status);
        }
        public boolean ok() { return answer != null || (errors.isEmpty() && refusal == null); }
    }
}
