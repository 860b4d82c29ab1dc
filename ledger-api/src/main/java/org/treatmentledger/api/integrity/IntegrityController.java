package org.treatmentledger.api.integrity;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.treatmentledger.api.http.Problems;

import java.util.List;
import java.util.Map;

/**
 * The tamper-evident log over HTTP: the latest signed checkpoint, consistency proofs between checkpoints, a patient's
 * evidence bundle, and the whole-store check. docs/INTEGRITY.md describes the formats and how a reviewer verifies.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "ledger.integrity.enabled",
        havingValue = "true", matchIfMissing = true)
@Tag(name = "Integrity", description = "Signed checkpoints of the ledger's Merkle tree and proofs a reviewer checks offline")
public class IntegrityController {

    private final EvidenceService evidence;
    private final StoreVerifier verifier;

    public IntegrityController(EvidenceService evidence, StoreVerifier verifier) {
        this.evidence = evidence;
        this.verifier = verifier;
    }

    @GetMapping("/api/ledger/checkpoint")
    @Operation(summary = "The latest signed checkpoint",
            description = "An acknowledged write is inside a signed checkpoint within 5 seconds. Roles: every role.")
    public IntegrityViews.CheckpointView checkpoint() {
        return evidence.latest();
    }

    @GetMapping("/api/ledger/proofs/consistency")
    @Operation(summary = "RFC 9162 consistency proof between two checkpointed tree sizes",
            description = "Both sizes must be sizes a checkpoint was issued for (else 404 CHECKPOINT_NOT_FOUND naming the "
                    + "parameter); 0 < from <= to (else 400). Roles: every role.")
    public IntegrityViews.ConsistencyView consistency(
            @Parameter(description = "The older tree size (a checkpoint the caller saved)", required = true, example = "500",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "from", required = false) String from,
            @Parameter(description = "The newer tree size", required = true, example = "1100",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "to", required = false) String to) {
        return evidence.consistency(from, to);
    }

    @GetMapping("/api/patients/{patientId}/evidence")
    @Operation(summary = "The patient's evidence bundle: every event with its inclusion proof against one signed checkpoint",
            description = "Entries written a moment ago are waited for briefly (ledger.integrity.evidence-wait); if they are "
                    + "still not sealed the answer is 503 EVIDENCE_NOT_SEALED with Retry-After. Verify the bundle offline "
                    + "with ledger-verify. Roles: CLINICIAN, AUDITOR.")
    public IntegrityViews.EvidenceView evidence(@PathVariable String patientId) {
        return evidence.evidence(patientId);
    }

    @PostMapping("/api/admin/ledger/verify")
    @Operation(summary = "Check the whole store: every leaf from its stored event, the tree from the leaves, every checkpoint",
            description = "Answers the first mismatch (leaf index, patient, sequence number, reason), or verified. Reads "
                    + "the whole store in one snapshot; records nothing. Role: AUDITOR.")
    @ApiResponse(responseCode = "200", description = "The result of the check (a mismatch is a result, not an error)",
            useReturnTypeSchema = true)
    public IntegrityViews.VerifyView verify() {
        return IntegrityViews.VerifyView.of(verifier.verify());
    }

    @ExceptionHandler(EvidenceService.ParameterException.class)
    ResponseEntity<ProblemDetail> parameter(EvidenceService.ParameterException e) {
        return problem(e);
    }

    @ExceptionHandler(EvidenceService.NotSealedException.class)
    ResponseEntity<ProblemDetail> notSealed(EvidenceService.NotSealedException e) {
        return problem(e);
    }

    /** 400 naming the parameter, or 404 CHECKPOINT_NOT_FOUND: for every log's proof endpoints. */
    public static ResponseEntity<ProblemDetail> problem(EvidenceService.ParameterException e) {
        List<Problems.FieldError> errors = List.of(new Problems.FieldError(e.field(), e.getMessage()));
        if (!e.notFound()) {
            return Problems.entity(Problems.badRequest("Invalid value for '" + e.field() + "'", errors));
        }
        ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "CHECKPOINT_NOT_FOUND", "Not found",
                "'" + e.field() + "' " + e.getMessage());
        problem.setProperty("code", "CHECKPOINT_NOT_FOUND");
        problem.setProperty("errors", errors.stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
        return Problems.entity(problem);
    }

    /** 503 EVIDENCE_NOT_SEALED with Retry-After: for every log's proof endpoints. */
    public static ResponseEntity<ProblemDetail> problem(EvidenceService.NotSealedException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "EVIDENCE_NOT_SEALED", "Not sealed yet",
                e.getMessage());
        problem.setProperty("code", "EVIDENCE_NOT_SEALED");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
