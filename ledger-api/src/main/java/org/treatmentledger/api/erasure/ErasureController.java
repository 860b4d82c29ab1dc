package org.treatmentledger.api.erasure;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.treatmentledger.core.api.PatientId;

/** {@code POST /api/patients/{patientId}/erasure}: a patient's personal data made unreadable for good. */
@RestController
@Tag(name = "Writes")
public class ErasureController {

    private final ErasureService erasure;

    public ErasureController(ErasureService erasure) {
        this.erasure = erasure;
    }

    @Schema(name = "ErasureRequest")
    public record ErasureRequest(
            @Schema(description = "Why the patient's personal data is erased. Kept in clear as the erasure's record: "
                    + "it must not itself identify the patient")
            @NotBlank @Size(max = 2000) String reason) { }

    @Schema(name = "ErasureCreated")
    public record ErasureCreated(@Schema(description = "The erasure's entry id") String entryId) { }

    @PostMapping("/api/patients/{patientId}/erasure")
    @Operation(summary = "Erase the patient's personal data (crypto-shredding)",
            description = "Role: CLINICIAN. Records the erasure (who, why, when) and destroys the patient's data key: "
                    + "the external reference, birth year, every note and reason and the photo URIs read as null "
                    + "everywhere from then on, and the patient reads as `\"erased\": true`. The clinical facts stay, "
                    + "and the ledger still verifies. A second erasure answers 409 ALREADY_ERASED; a patient with "
                    + "personal values stored in clear by an earlier version answers 409 PLAINTEXT_NOT_ERASABLE.")
    @ApiResponse(responseCode = "201", description = "The patient is erased", useReturnTypeSchema = true)
    public ResponseEntity<ErasureCreated> erase(@PathVariable String patientId, @Valid @RequestBody ErasureRequest body) {
        String entryId = erasure.erase(PatientId.of(patientId), body.reason());
        return ResponseEntity.status(HttpStatus.CREATED).body(new ErasureCreated(entryId));
    }
}
