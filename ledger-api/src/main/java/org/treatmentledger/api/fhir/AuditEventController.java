package org.treatmentledger.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import org.treatmentledger.api.audit.AccessLog;
import org.treatmentledger.api.audit.AccessLogController;
import org.treatmentledger.api.clinics.CallerClinics;

import java.time.Clock;
import java.time.Instant;

/** The access audit as FHIR R4 AuditEvent Bundles (docs/FHIR.md, "Access records"); the same records and paging as the JSON logs. */
@RestController
@Tag(name = "Access audit", description = "Who read or wrote which patient's record, when, why, and with what answer")
public class AuditEventController {

    private final AccessLog log;
    private final AuditEventExport export;
    private final Clock clock;

    public AuditEventController(AccessLog log, FhirContext fhir, Clock clock,
                                @Value("${ledger.integrity.origin:localhost/treatment-ledger}") String site) {
        this.log = log;
        this.export = new AuditEventExport(fhir, site);
        this.clock = clock;
    }

    @GetMapping(value = "/api/patients/{patientId}/access-log/fhir", produces = {FhirController.FHIR_JSON, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "The patient's access log as FHIR R4 AuditEvents (IHE BALP), newest first",
            description = "The records of GET /api/patients/{patientId}/access-log, one AuditEvent each, in a Bundle of "
                    + "type searchset; a link 'next' names the next page. Always answered as application/fhir+json. "
                    + "Role: AUDITOR, of the patient's clinic.")
    @ApiResponse(responseCode = "200", description = "A FHIR R4 Bundle (type searchset) of AuditEvent resources",
            content = @Content(mediaType = FhirController.FHIR_JSON, schema = @Schema(ref = FhirOpenApi.BUNDLE)))
    public ResponseEntity<String> patient(@PathVariable String patientId,
                                          @Parameter(description = "Entries per page (1 to 1000)", example = "100")
                                          @RequestParam(required = false) Integer limit,
                                          @Parameter(description = "The `next` of the previous page", example = "1234")
                                          @RequestParam(required = false) Long before) {
        AccessLogController.AccessPage page = log.ofPatient(patientId, limit, before);
        String next = page.next() == null ? null : UriComponentsBuilder.fromPath("/api/patients/{id}/access-log/fhir")
                .queryParamIfPresent("limit", java.util.Optional.ofNullable(limit)).queryParam("before", page.next())
                .buildAndExpand(patientId).encode().toUriString();
        return answer(export.bundle(page.entries(), patientId, clock.instant(), next));
    }

    @GetMapping(value = "/api/audit/access/fhir", produces = {FhirController.FHIR_JSON, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Access records across the caller's clinics as FHIR R4 AuditEvents (IHE BALP), newest first",
            description = "The records of GET /api/audit/access with the same filters and paging, one AuditEvent each, "
                    + "in a Bundle of type searchset; a link 'next' names the next page. Role: AUDITOR.")
    @ApiResponse(responseCode = "200", description = "A FHIR R4 Bundle (type searchset) of AuditEvent resources",
            content = @Content(mediaType = FhirController.FHIR_JSON, schema = @Schema(ref = FhirOpenApi.BUNDLE)))
    public ResponseEntity<String> access(@Parameter(description = "Only this user's requests", example = "clinician")
                                         @RequestParam(required = false) String user,
                                         @Parameter(description = "Only requests on this patient", example = "7d1c6f0e-0000-4000-8000-000000000000")
                                         @RequestParam(required = false) String patientId,
                                         @Parameter(description = "From this instant (inclusive)", example = "2026-03-01T00:00:00Z")
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                                         @Parameter(description = "Up to this instant (exclusive)", example = "2026-04-01T00:00:00Z")
                                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                                         @Parameter(description = "Entries per page (1 to 1000)", example = "100")
                                         @RequestParam(required = false) Integer limit,
                                         @Parameter(description = "The `next` of the previous page", example = "1234")
                                         @RequestParam(required = false) Long before) {
        AccessLogController.AccessPage page = log.ofClinics(CallerClinics.current(),
                new AccessLog.Filter(user, patientId, from, to), limit, before);
        String next = page.next() == null ? null : UriComponentsBuilder.fromPath("/api/audit/access/fhir")
                .queryParamIfPresent("user", java.util.Optional.ofNullable(user))
                .queryParamIfPresent("patientId", java.util.Optional.ofNullable(patientId))
                .queryParamIfPresent("from", java.util.Optional.ofNullable(from))
                .queryParamIfPresent("to", java.util.Optional.ofNullable(to))
                .queryParamIfPresent("limit", java.util.Optional.ofNullable(limit))
                .queryParam("before", page.next()).encode().toUriString();
        return answer(export.bundle(page.entries(), null, clock.instant(), next));
    }

    private ResponseEntity<String> answer(org.hl7.fhir.r4.model.Bundle bundle) {
        return ResponseEntity.ok().contentType(FhirController.FHIR_JSON_UTF8).body(export.json(bundle));
    }
}
