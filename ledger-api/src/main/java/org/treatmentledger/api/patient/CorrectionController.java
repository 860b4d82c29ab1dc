package org.treatmentledger.api.patient;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.http.ProblemHandler;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.api.http.RequestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.axonframework.commandhandling.CommandExecutionException;
import org.treatmentledger.api.patient.WriteRequests.CorrectionRequest;
import org.treatmentledger.api.patient.WriteRequests.EntryCreated;
import org.treatmentledger.api.patient.WriteRequests.EntryRequest;
import org.treatmentledger.core.api.AmendEntry;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.DescribeEntry;
import org.treatmentledger.core.api.EntryDetails;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.Replacement;
import org.treatmentledger.core.api.VoidEntry;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.Violation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.Violation;

/**
 * Corrections never delete: AMEND records a replacement, VOID takes an entry out of every total; the
 * original stays in the history. An AMEND's replacement is read and validated exactly like an original write body
 * of each type it can be; the aggregate records the reading of the target's type, in one command.
 */
@RestController
@Tag(name = "Writes")
public class CorrectionController {

    private final LedgerGateway gateway;
    private final RequestIds ids;
    private final ObjectMapper webMapper;
    private final Validator validator;

    public CorrectionController(LedgerGateway gateway, RequestIds ids, ObjectMapper webMapper, Validator validator) {
        this.gateway = gateway;
        this.ids = ids;
        this.webMapper = webMapper;
        this.validator = validator;
    }

    @PostMapping("/api/patients/{patientId}/corrections")
    @Operation(summary = "Amend or void an earlier entry",
            description = "AMEND needs `replacement` in the shape of the original write body (re-checked by the rules as if recorded now; "
                    + "a CLINICIAN may add `override`). VOID must not carry a replacement. Role: CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "The correction is recorded; `entryId` is the correction's entry", useReturnTypeSchema = true)
    public ResponseEntity<EntryCreated> correct(@PathVariable String patientId, @Valid @RequestBody CorrectionRequest body) {
        PatientId patient = PatientId.of(patientId);
        String entryId = ids.next("entry");
        boolean hasReplacement = body.replacement() != null && !(body.replacement() instanceof NullNode);
        if (body.action() == CorrectionAction.VOID) {
            if (hasReplacement) {
                throw invalid("replacement", "must be absent for VOID");
            }
            if (body.override() != null) {
                throw invalid("override", "must be absent for VOID");
            }
            gateway.send(new VoidEntry(patient, entryId, body.targetEntryId(), body.reason()));
            return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(entryId));
        }
        if (!hasReplacement) {
            throw invalid("replacement", "is required for AMEND");
        }
        var override = PatientWriteController.override(body);
        Replacement replacement = readings(body.replacement());
        if (replacement.readings().isEmpty()) throw unreadable(patient, body, null);
        RecordedEntry recorded;
        try {
            recorded = gateway.send(new AmendEntry(patient, entryId, body.targetEntryId(), body.reason(),
                    replacement, override));
        } catch (RuleViolationException | CommandExecutionException e) {
            if (!isTypeMismatch(e)) throw e;
            throw unreadable(patient, body, e);
        }
        String id = recorded != null && recorded.entryId() != null ? recorded.entryId() : entryId;
        return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(id));
    }

    /** Every correctable type the body reads as (each reading carries its type; the aggregate takes the target's). */
    private Replacement readings(JsonNode json) {
        List<EntryDetails> readings = new ArrayList<>();
        for (EntryType type : EntryType.values()) {
            if (requestType(type) == null) continue;
            try {
                readings.add(parse(type, json).toDetails());
            } catch (InvalidBodyException | IllegalArgumentException notThisType) {
                // Not a body of this type; if it is the target's, unreadable() names the fields at fault.
            }
        }
        return new Replacement(readings);
    }

    /**
     * The answer to a replacement the target's type cannot read: only now is the target's type asked for, to
     * name the fields at fault in that type's body (or refuse ENTRY_NOT_FOUND / NOT_CORRECTABLE). Records nothing.
     */
    private RuntimeException unreadable(PatientId patient, CorrectionRequest body, RuntimeException refusal) {
        EntryType type = gateway.send(new DescribeEntry(patient, body.targetEntryId()));
        parse(type, body.replacement()).toDetails();
        // The target's type reads the body after all (it was corrected meanwhile): the aggregate's answer stands.
        return refusal != null ? refusal : new RuleViolationException(new Violation(RuleCode.AMEND_TYPE_MISMATCH,
                "The replacement is not a " + type + " body", null, body.targetEntryId(), null));
    }

    private static boolean isTypeMismatch(RuntimeException e) {
        if (e instanceof RuleViolationException violation) return violation.primary().code() == RuleCode.AMEND_TYPE_MISMATCH;
        return ProblemHandler.refusalOf((CommandExecutionException) e)
                .map(r -> r.code() == RuleCode.AMEND_TYPE_MISMATCH).orElse(false);
    }

    private static Class<? extends EntryRequest> requestType(EntryType type) {
        return switch (type) {
            case INJECTION -> WriteRequests.InjectionRequest.class;
            case TOUCH_UP -> WriteRequests.TouchUpRequest.class;
            case LASER_SESSION -> WriteRequests.LaserSessionRequest.class;
            case PHOTO_CHECKPOINT -> WriteRequests.PhotoCheckpointRequest.class;
            case SIDE_EFFECT_REPORTED -> WriteRequests.SideEffectRequest.class;
            case SIDE_EFFECT_RESOLVED -> WriteRequests.ResolutionRequest.class;
            case CYCLE_FACTOR -> WriteRequests.CycleFactorRequest.class;
            case MOVEMENT_RETURN -> WriteRequests.MovementReturnRequest.class;
            default -> null;
        };
    }

    private EntryRequest parse(EntryType type, JsonNode json) {
        Class<? extends EntryRequest> requestType = requestType(type);
        if (requestType == null) {
            // The aggregate refuses to amend these (NOT_CORRECTABLE); say so without sending anything.
            throw new RuleViolationException(new Violation(RuleCode.NOT_CORRECTABLE,
                    "A " + type + " entry cannot be amended", null, null, null));
        }
        if (!json.isObject()) {
            throw invalid("replacement", "must be an object shaped like the original " + type + " body");
        }
        if (json.has("override")) {
            throw invalid("replacement.override", "put the override on the correction itself");
        }
        EntryRequest parsed;
        try {
            parsed = webMapper.treeToValue(json, requestType);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
            throw new InvalidBodyException(ProblemHandler.readProblem(cause, "replacement"));
        }
        Set<ConstraintViolation<EntryRequest>> violations = validator.validate(parsed);
        if (!violations.isEmpty()) {
            List<Problems.FieldError> errors = violations.stream()
                    .map(v -> new Problems.FieldError("replacement." + v.getPropertyPath(), v.getMessage()))
                    .sorted(Comparator.comparing(Problems.FieldError::field))
                    .toList();
            throw new InvalidBodyException(Problems.badRequest("The replacement is invalid", errors));
        }
        return parsed;
    }

    private static InvalidBodyException invalid(String field, String message) {
        return new InvalidBodyException(Problems.badRequest("The correction is invalid",
                List.of(new Problems.FieldError(field, message))));
    }
}
