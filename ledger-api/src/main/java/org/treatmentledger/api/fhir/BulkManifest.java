package org.treatmentledger.api.fhir;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** The completion manifest of a bulk export (FHIR Bulk Data Access, "Complete Status"). */
@Schema(name = "FhirBulkExportManifest", description = "A completed bulk export: one NDJSON file per resource type")
public record BulkManifest(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "When the export started: it holds what had been "
                + "recorded by about then (each patient is read as of the moment the export reaches it)", format = "date-time")
        String transactionTime,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The kick-off request's URL") String request,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Always true: the files need the same credentials")
        boolean requiresAccessToken,
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "One file per resource type that has resources"))
        List<File> output,
        @ArraySchema(arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "OperationOutcome files: patients that could not be exported"))
        List<File> error,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "What the ledger adds to the manifest")
        Extension extension) {

    @Schema(name = "FhirBulkExportFile")
    public record File(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "MedicationAdministration") String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uri") String url,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "Resources (lines) in the file") int count) { }

    @Schema(name = "FhirBulkExportSummary")
    public record Extension(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "Patients of the caller's clinics") int patients,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "Resources written") long resources,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", description = "How long the export ran, in milliseconds") long durationMillis) { }

    static BulkManifest of(BulkExport.Status status, String filesUrl) {
        List<File> output = status.outputs().stream().filter(o -> !o.type().equals("OperationOutcome"))
                .map(o -> new File(o.type(), filesUrl + o.type() + ".ndjson", o.count())).toList();
        List<File> error = status.outputs().stream().filter(o -> o.type().equals("OperationOutcome"))
                .map(o -> new File(o.type(), filesUrl + o.type() + ".ndjson", o.count())).toList();
        return new BulkManifest(status.transactionTime().toString(), status.request(), true, output, error,
                new Extension(status.patients(), status.resources(), status.took().toMillis()));
    }
}
