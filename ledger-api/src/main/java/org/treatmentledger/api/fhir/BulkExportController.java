package org.treatmentledger.api.fhir;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.http.Problems;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The clinic-wide FHIR export in NDJSON, after the FHIR Bulk Data Access pattern: kick-off (202 with
 * Content-Location), status polling (202 with X-Progress while it runs, then 200 with the manifest), the files, and
 * DELETE to cancel or discard. Covers the patients of the caller's clinics ({@link CallerClinics}).
 */
@RestController
@Tag(name = "FHIR")
public class BulkExportController {

    public static final String FHIR_NDJSON = "application/fhir+ndjson";
    private static final Set<String> OUTPUT_FORMATS = Set.of(FHIR_NDJSON, "application/ndjson", "ndjson");
    private static final Set<String> KNOWN_PARAMETERS = Set.of("_type", "_outputFormat");

    private final BulkExport export;

    public BulkExportController(BulkExport export) {
        this.export = export;
    }

    @GetMapping("/api/fhir/$export")
    @Operation(summary = "Kick off a bulk export of the caller's clinics (FHIR Bulk Data Access)",
            description = "Every patient of the caller's clinics, one NDJSON file per resource type (Patient, Procedure, "
                    + "MedicationAdministration, Observation, AdverseEvent, Media, Provenance), each patient's resources "
                    + "exactly as GET /api/patients/{patientId}/fhir has them. Answers 202 with Content-Location, the job "
                    + "to poll. The header `Prefer: respond-async` of the specification is accepted and not required. "
                    + "Parameters other than _type and _outputFormat (e.g. _since, _typeFilter) answer 400. "
                    + "Roles: CLINICIAN, AUDITOR (ANALYST is not given patient-level data).")
    @ApiResponse(responseCode = "202", description = "Accepted: poll Content-Location",
            headers = @Header(name = "Content-Location", required = true, description = "The job's status URL",
                    schema = @Schema(type = "string", format = "uri")))
    public ResponseEntity<Void> kickOff(
            @Parameter(description = "Comma-separated resource types to export (default: all)",
                    example = "Patient,MedicationAdministration")
            @RequestParam(name = "_type", required = false) String types,
            @Parameter(description = "application/fhir+ndjson (the default), application/ndjson or ndjson",
                    example = FHIR_NDJSON)
            @RequestParam(name = "_outputFormat", required = false) String outputFormat,
            HttpServletRequest request) {
        List<Problems.FieldError> errors = new ArrayList<>();
        for (String name : request.getParameterMap().keySet()) {
            if (!KNOWN_PARAMETERS.contains(name)) errors.add(new Problems.FieldError(name, "not supported by this export"));
        }
        if (outputFormat != null && !OUTPUT_FORMATS.contains(outputFormat.trim().toLowerCase(Locale.ROOT))) {
            errors.add(new Problems.FieldError("_outputFormat", "only application/fhir+ndjson is written"));
        }
        Set<String> selected = new LinkedHashSet<>();
        if (types == null || types.isBlank()) {
            selected.addAll(BulkExport.TYPES);
        } else {
            for (String type : types.split(",")) {
                String t = type.trim();
                if (BulkExport.TYPES.contains(t)) selected.add(t);
                else errors.add(new Problems.FieldError("_type", "unknown or not exported type '" + t + "'; exported: "
                        + String.join(", ", BulkExport.TYPES)));
            }
        }
        if (!errors.isEmpty()) throw new InvalidBodyException(Problems.badRequest("Invalid export request", errors));
        String query = request.getQueryString();
        String requestUrl = request.getRequestURL() + (query == null ? "" : "?" + query);
        Set<String> clinics = CallerClinics.current();
        String id = export.start(LedgerGateway.currentUser(), clinics, selected, requestUrl);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.CONTENT_LOCATION, base() + "/api/fhir/export-jobs/" + id).build();
    }

    @GetMapping("/api/fhir/export-jobs/{jobId}")
    @Operation(summary = "The bulk export's status: 202 while it runs, 200 with the manifest when it is complete",
            description = "Only the user who started the job sees it (for anyone else it is 404). Files are kept "
                    + "ledger.fhir.export-retention (1h) after completion. A job that failed answers 500 EXPORT_FAILED. "
                    + "Roles: CLINICIAN, AUDITOR.")
    @ApiResponse(responseCode = "200", description = "Complete: the manifest",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BulkManifest.class)))
    @ApiResponse(responseCode = "202", description = "In progress (no body)", content = @Content,
            headers = {@Header(name = "X-Progress", required = true, description = "Patients exported so far, e.g. '120 of 300 patients'",
                    schema = @Schema(type = "string")),
                    @Header(name = "Retry-After", required = true, description = "Seconds to wait before polling again",
                            schema = @Schema(type = "integer", minimum = "0"))})
    public ResponseEntity<BulkManifest> status(@PathVariable String jobId) {
        BulkExport.Status status = export.status(jobId, LedgerGateway.currentUser()).orElseThrow(() -> notFound(jobId));
        return switch (status.state()) {
            case RUNNING -> ResponseEntity.status(HttpStatus.ACCEPTED)
                    .header("X-Progress", status.patientsDone() + " of " + status.patients() + " patients")
                    .header(HttpHeaders.RETRY_AFTER, "1").build();
            case COMPLETED -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(BulkManifest.of(status, base() + "/api/fhir/export-jobs/" + jobId + "/files/"));
            case FAILED -> throw new ExportFailedException();
            case CANCELLED -> throw notFound(jobId);
        };
    }

    @GetMapping(value = "/api/fhir/export-jobs/{jobId}/files/{type}.ndjson", produces = FHIR_NDJSON)
    @Operation(summary = "One file of a completed bulk export: one resource of one type per line",
            description = "Roles: CLINICIAN, AUDITOR (the user who started the job).")
    @ApiResponse(responseCode = "200", description = "NDJSON: one FHIR R4 resource (JSON) per line",
            content = @Content(mediaType = FHIR_NDJSON, schema = @Schema(type = "string")))
    public ResponseEntity<FileSystemResource> file(@PathVariable String jobId,
                                                   @Parameter(description = "A resource type of the manifest, or OperationOutcome", example = "Patient")
                                                   @PathVariable String type) {
        return export.file(jobId, LedgerGateway.currentUser(), type)
                .map(path -> ResponseEntity.ok().contentType(MediaType.parseMediaType(FHIR_NDJSON))
                        .body(new FileSystemResource(path)))
                .orElseThrow(() -> new NotFoundException("EXPORT_FILE_NOT_FOUND",
                        "No file " + type + ".ndjson in a completed export job " + jobId + " of this user"));
    }

    @DeleteMapping("/api/fhir/export-jobs/{jobId}")
    @Operation(summary = "Cancel a running bulk export, or delete a finished one and its files",
            description = "Roles: CLINICIAN, AUDITOR (the user who started the job).")
    @ApiResponse(responseCode = "202", description = "Cancelled or deleted")
    public ResponseEntity<Void> delete(@PathVariable String jobId) {
        if (!export.delete(jobId, LedgerGateway.currentUser())) throw notFound(jobId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private static NotFoundException notFound(String jobId) {
        return new NotFoundException("EXPORT_NOT_FOUND", "No export job " + jobId + " of this user");
    }

    private static String base() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }

    @ExceptionHandler(ExportFailedException.class)
    ResponseEntity<ProblemDetail> failed(ExportFailedException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.INTERNAL_SERVER_ERROR, "EXPORT_FAILED", "Export failed",
                e.getMessage());
        problem.setProperty("code", "EXPORT_FAILED");
        return Problems.entity(problem);
    }

    /** 500 EXPORT_FAILED: the job stopped on an error (logged); start a new one. */
    static final class ExportFailedException extends RuntimeException {
        ExportFailedException() {
            super("The export failed; start a new one");
        }
    }
}
