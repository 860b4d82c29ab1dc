package org.treatmentledger.api.fhir;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A patient's ledger as a FHIR R4 Bundle (docs/FHIR.md). */
@RestController
@Tag(name = "FHIR", description = "The ledger as HL7 FHIR R4 resources (docs/FHIR.md): one patient's Bundle, and the "
        + "clinic-wide bulk export in NDJSON")
public class FhirController {

    public static final String FHIR_JSON = "application/fhir+json";
    static final MediaType FHIR_JSON_UTF8 = MediaType.parseMediaType(FHIR_JSON + ";charset=UTF-8");

    private final FhirExport export;

    public FhirController(FhirExport export) {
        this.export = export;
    }

    @GetMapping(value = "/api/patients/{patientId}/fhir", produces = {FHIR_JSON, MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "The patient's ledger as a FHIR R4 Bundle of type collection",
            description = "Patient (pseudonymous), a MedicationAdministration per injected site, a Procedure per visit and "
                    + "laser session (settings as an Observation part of it), AdverseEvent per side effect, Media per "
                    + "photo, Observations for cycle factors and movement returns, and a Provenance per entry and "
                    + "correction (who recorded it, when, overrides, the integrity leaf and checkpoint). Voided entries "
                    + "are entered-in-error. Read like every patient read: it reflects every write acknowledged before it "
                    + "started. Always answered as application/fhir+json. The mapping and codes: docs/FHIR.md. "
                    + "Roles: CLINICIAN, AUDITOR.")
    @ApiResponse(responseCode = "200", description = "A FHIR R4 Bundle (type collection)",
            content = @Content(mediaType = FHIR_JSON, schema = @Schema(ref = FhirOpenApi.BUNDLE)))
    public ResponseEntity<String> patient(@PathVariable String patientId) {
        return ResponseEntity.ok().contentType(FHIR_JSON_UTF8).body(export.json(export.bundle(patientId)));
    }
}
