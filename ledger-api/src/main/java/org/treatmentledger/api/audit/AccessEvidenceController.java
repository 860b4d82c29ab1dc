package org.treatmentledger.api.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.api.integrity.EvidenceService;
import org.treatmentledger.api.integrity.IntegrityController;
import org.treatmentledger.api.integrity.IntegrityProperties;
import org.treatmentledger.api.integrity.IntegrityViews;
import org.treatmentledger.api.integrity.TreeStore;
import org.treatmentledger.verify.merkle.ProofGenerator;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The access log's tree over HTTP (docs/INTEGRITY.md, "Access records"): its latest signed checkpoint, consistency
 * proofs between its checkpoints, one record's inclusion proof, and a patient's whole access log with proofs, which
 * a reviewer checks offline with {@code ledger-verify access}. Role: AUDITOR; records of the caller's clinics only.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "ledger.integrity.enabled",
        havingValue = "true", matchIfMissing = true)
@Tag(name = "Access audit", description = "Who read or wrote which patient's record, when, why, and with what answer")
public class AccessEvidenceController {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final long POLL_MILLIS = 50;

    private final AccessLogTree tree;
    private final Duration wait;

    AccessEvidenceController(AccessLogTree tree, IntegrityProperties properties) {
        this.tree = tree;
        this.wait = properties.evidenceWait();
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AccessEvidenceEntry", description = "One access record as stored, its leaf (AccessRecordLeaf, version 2) and its inclusion proof")
    public record EntryView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0") long leafIndex,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Base64 of the leaf bytes") String leaf,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The record's id in the access log") long id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When the request was answered, as the leaf commits to it") String at,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String user,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String role,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true, description = "The patient's clinic; null when no such patient exists") String clinic,
            @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The caller's clinics")) List<String> callerClinics,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true) String patientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "The record's position among its patient's records, from 0") long patientSequence,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String action,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String resource,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) int status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String purpose,
            @ArraySchema(schema = @Schema(description = "Base64 of a 32-byte hash"), arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "PATH(leafIndex, D[treeSize]) of RFC 9162 section 2.1.3.1")) List<String> inclusionProof) { }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "AccessEvidence", description = "Access records proven against one signed checkpoint of the access log's tree; "
            + "verify offline with `ledger-verify access`")
    public record EvidenceView(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, nullable = true,
                    description = "The patient whose whole access log this is (every record, in order); null for single records") String patientId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) IntegrityViews.CheckpointView checkpoint,
            @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED)) List<EntryView> entries) { }

    @GetMapping("/api/audit/access/checkpoint")
    @Operation(summary = "The latest signed checkpoint of the access log's tree",
            description = "Signed with the ledger's key under the access log's origin (the ledger's origin + \"/access\"). "
                    + "An access record is in a signed checkpoint within seconds of its request. Role: AUDITOR.")
    public IntegrityViews.CheckpointView checkpoint() {
        return tree.log().latest();
    }

    @GetMapping("/api/audit/access/proofs/consistency")
    @Operation(summary = "RFC 9162 consistency proof between two checkpointed sizes of the access log's tree",
            description = "As GET /api/ledger/proofs/consistency, for the access log. Role: AUDITOR.")
    public IntegrityViews.ConsistencyView consistency(
            @Parameter(description = "The older tree size (a checkpoint the caller saved)", required = true, example = "500",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "from", required = false) String from,
            @Parameter(description = "The newer tree size", required = true, example = "1100",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "to", required = false) String to) {
        return tree.log().consistency(from, to);
    }

    @GetMapping("/api/audit/access/proofs/inclusion")
    @Operation(summary = "One access record with its inclusion proof against the latest checkpoint",
            description = "The record's `id` is in GET /api/audit/access. A record written a moment ago is waited for "
                    + "(ledger.integrity.evidence-wait), then 503 EVIDENCE_NOT_SEALED. A record of no clinic of the "
                    + "caller's answers 404 ACCESS_RECORD_NOT_FOUND, as an unknown one. Role: AUDITOR.")
    public EvidenceView inclusion(@Parameter(description = "The access record's id", required = true, example = "1234",
                                          schema = @Schema(type = "integer", format = "int64", minimum = "1"))
                                  @RequestParam(name = "id", required = false) String idText) {
        long id = recordId(idText);
        Set<String> clinics = CallerClinics.current();
        AccessLogTree.Stored record = tree.visibleRecord(id, clinics).orElseThrow(() ->
                new NotFoundException("ACCESS_RECORD_NOT_FOUND", "No access record " + id + " of your clinics"));
        return whenSealed(id, () -> {
            TreeStore.CheckpointRow checkpoint = tree.log().latestCheckpoint().orElseThrow();
            AccessLogTree.Sealed sealed = tree.recordLeaf(record.id(), checkpoint.treeSize()).orElseThrow();
            return new EvidenceView(null, IntegrityViews.CheckpointView.of(checkpoint),
                    List.of(entry(sealed, checkpoint.treeSize())));
        });
    }

    @GetMapping("/api/patients/{patientId}/access-log/evidence")
    @Operation(summary = "The patient's whole access log, each record proven against one signed checkpoint",
            description = "Every access record of the patient up to the latest checkpoint, in order, chained: a record "
                    + "left out or changed is found offline by `ledger-verify access`. Records written a moment ago "
                    + "are waited for (ledger.integrity.evidence-wait), then 503 EVIDENCE_NOT_SEALED; this request's own "
                    + "record comes after it. Role: AUDITOR, of the patient's clinic.")
    public EvidenceView patientEvidence(@PathVariable String patientId) {
        Long last = tree.lastRecordOf(patientId).orElse(null);
        Supplier<EvidenceView> bundle = () -> {
            IntegrityViews.CheckpointView latest = tree.log().latest(); // none yet: 503
            long size = latest.treeSize();
            TreeStore.CheckpointRow checkpoint = tree.log().checkpoint(size).orElseThrow();
            return new EvidenceView(patientId, IntegrityViews.CheckpointView.of(checkpoint),
                    tree.patientLeaves(patientId, size).stream().map(s -> entry(s, size)).toList());
        };
        return last == null ? bundle.get() : whenSealed(last, bundle);
    }

    /** Waits until the record is inside the latest checkpoint, then answers; 503 after {@code wait}. */
    private EvidenceView whenSealed(long recordId, Supplier<EvidenceView> answer) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            TreeStore.CheckpointRow checkpoint = tree.log().latestCheckpoint().orElse(null);
            Long leaf = tree.leafIndexOf(recordId).orElse(null);
            if (checkpoint != null && leaf != null && leaf < checkpoint.treeSize()) return answer.get();
            if (System.nanoTime() > deadline) {
                throw new EvidenceService.NotSealedException("The newest access records are written but not yet in a "
                        + "signed checkpoint; they are sealed within seconds. Retry shortly.");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EvidenceService.NotSealedException("Interrupted while waiting for the access log's sealer");
            }
        }
    }

    private EntryView entry(AccessLogTree.Sealed sealed, long size) {
        List<String> proof = new ProofGenerator(tree.log()).inclusionProof(sealed.leaf().leafIndex(), size).stream()
                .map(BASE64::encodeToString).toList();
        // A record row deleted after sealing is shown with empty fields, which no verifier accepts against its leaf.
        AccessLogTree.Stored r = sealed.record() != null ? sealed.record()
                : new AccessLogTree.Stored(sealed.leaf().recordId(), "", "", null, null, List.of(), null, "", "", 0, "");
        return new EntryView(sealed.leaf().leafIndex(), BASE64.encodeToString(sealed.leaf().leaf()), r.id(), r.at(),
                r.user(), r.role(), r.clinic(), r.callerClinics(), r.patientId(), sealed.leaf().patientSequence(),
                r.action(), r.resource(), r.status(), r.purpose(), proof);
    }

    private static long recordId(String text) {
        if (text == null || !text.matches("[1-9][0-9]{0,17}")) {
            throw new InvalidBodyException(Problems.badRequest("Invalid value for 'id'",
                    List.of(new Problems.FieldError("id", "must be an access record id (a positive whole number)"))));
        }
        return Long.parseLong(text);
    }

    @ExceptionHandler(EvidenceService.ParameterException.class)
    ResponseEntity<ProblemDetail> parameter(EvidenceService.ParameterException e) {
        return IntegrityController.problem(e);
    }

    @ExceptionHandler(EvidenceService.NotSealedException.class)
    ResponseEntity<ProblemDetail> notSealed(EvidenceService.NotSealedException e) {
        return IntegrityController.problem(e);
    }
}
