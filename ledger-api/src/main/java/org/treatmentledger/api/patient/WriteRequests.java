package org.treatmentledger.api.patient;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.CycleFactorDetails;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryDetails;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.LaserSessionDetails;
import org.treatmentledger.core.api.Lot;
import org.treatmentledger.core.api.MovementReturnDetails;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PhotoCheckpointDetails;
import org.treatmentledger.core.api.PhotoImage;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectDetails;
import org.treatmentledger.core.api.SideEffectResolutionDetails;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.Units;
import org.treatmentledger.core.api.Zone;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The JSON bodies of the write endpoints (docs/http-api.md). The web mapper rejects unknown fields, so
 * {@code recordedAt} and {@code recordedBy} can never be smuggled in. Bean Validation checks presence and
 * shape (400); the clinical rules (units > 0, lot expiry, timing) belong to the aggregate (409/422).
 */
public final class WriteRequests {

    private WriteRequests() { }

    /** Content that a correction may carry as its {@code replacement}. */
    public interface EntryRequest {
        EntryDetails toDetails();
    }

    /** A request that may carry a clinician's override. */
    public interface Overridable {
        OverrideBody override();
    }

    @Schema(name = "RegisterPatientRequest", description = "Opens a patient's ledger. No names: the ledger is pseudonymous; externalRef links to the clinic's own records.")
    public record RegisterPatientRequest(
            @Schema(description = "The clinic that owns the record", example = "clinic-berlin-1", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Size(max = 100) String clinicId,
            @Schema(description = "Sex, used for the typical dose ranges", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull Sex sex,
            @Schema(description = "Year of birth", example = "1984") @Min(1900) @Max(2100) Integer birthYear,
            @Schema(description = "The clinic's own reference for the patient (never logged)", example = "PAT-00042")
            @Size(max = 200) String externalRef,
            @Schema(description = "Clinical registration time; defaults to now", example = "2026-01-10T09:00:00Z")
            Instant registeredAt) { }

    @Schema(name = "Lot", description = "The product lot: traceability anchor for recalls")
    public record LotBody(
            @Schema(description = "Lot number", example = "C1234A5", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Size(max = 100) String number,
            @Schema(description = "Expiry date of the lot", example = "2027-06-30", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull LocalDate expiresOn) {
        Lot toLot() { return new Lot(number, expiresOn); }
    }

    @Schema(name = "SiteDose", description = "Units given at one site (per side for paired sites)")
    public record SiteDoseBody(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Site site,
            @Schema(description = "Units of the product; must be positive (422 INVALID_UNITS otherwise)", example = "20", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull @Digits(integer = 4, fraction = 2) BigDecimal units) {
        SiteDose toSiteDose() { return new SiteDose(site, Units.of(units)); }
    }

    @Schema(name = "OverrideRequest", description = "A clinician's written reason to proceed despite a timing refusal (CLINICIAN only; who decided is the authenticated user)")
    public record OverrideBody(
            @Schema(description = "Why the clinician proceeds", example = "Patient travels abroad; discussed risks", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Size(max = 2000) String reason) {
        OverrideRequest toRequest() { return new OverrideRequest(reason); }
    }

    @Schema(name = "InjectionRequest", description = "An initial neuromodulator injection: opens a new cycle")
    public record InjectionRequest(
            @Schema(description = "Clinical time (ISO-8601 with offset)", example = "2026-03-02T09:30:00Z", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Product product,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Valid LotBody lot,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull DoseIntent intent,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Indication indication,
            @ArraySchema(minItems = 1, schema = @Schema(implementation = SiteDoseBody.class))
            @NotEmpty List<@NotNull @Valid SiteDoseBody> sites,
            @Schema(description = "Dilution in ml saline per 100 U", example = "2.5") @DecimalMin("0.1") @Digits(integer = 3, fraction = 2) BigDecimal dilutionMlPer100U,
            @Schema(description = "Who gave the injection, when not the recording user") @Size(max = 200) String injector,
            @Valid OverrideBody override) implements EntryRequest, Overridable {
        @Override
        public InjectionDetails toDetails() {
            return new InjectionDetails(occurredAt, product, lot.toLot(), intent, indication,
                    sites.stream().map(SiteDoseBody::toSiteDose).toList(), dilutionMlPer100U, injector);
        }
    }

    @Schema(name = "TouchUpRequest", description = "A touch-up inside the open cycle (after the two-week review)")
    public record TouchUpRequest(
            @Schema(description = "Clinical time", example = "2026-03-16T09:30:00Z", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Product product,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull @Valid LotBody lot,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Indication indication,
            @ArraySchema(minItems = 1, schema = @Schema(implementation = SiteDoseBody.class))
            @NotEmpty List<@NotNull @Valid SiteDoseBody> sites,
            @Schema(description = "Dilution in ml saline per 100 U", example = "2.5") @DecimalMin("0.1") @Digits(integer = 3, fraction = 2) BigDecimal dilutionMlPer100U,
            @Schema(description = "Who gave the injection, when not the recording user") @Size(max = 200) String injector,
            @Valid OverrideBody override) implements EntryRequest, Overridable {
        @Override
        public TouchUpDetails toDetails() {
            return new TouchUpDetails(occurredAt, product, lot.toLot(), indication,
                    sites.stream().map(SiteDoseBody::toSiteDose).toList(), dilutionMlPer100U, injector);
        }
    }

    @Schema(name = "LaserSessionRequest", description = "One laser session")
    public record LaserSessionRequest(
            @Schema(description = "Clinical time", example = "2026-03-12T10:00:00Z", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull LaserDeviceClass deviceClass,
            @ArraySchema(minItems = 1, schema = @Schema(implementation = Zone.class), arraySchema = @Schema(description = "Treated zones; FULL_FACE covers every facial zone, NECK is separate"))
            @NotEmpty List<@NotNull Zone> zones,
            @Schema(description = "Device model", example = "Sciton BBL") @Size(max = 200) String deviceModel,
            @Schema(description = "Number of passes", example = "2") @Min(1) Integer passes,
            @Schema(description = "Density in percent", example = "20") @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3, fraction = 2) BigDecimal densityPercent,
            @Schema(description = "Energy in mJ", example = "15") @DecimalMin("0") @Digits(integer = 5, fraction = 3) BigDecimal energyMj,
            @Schema(description = "Fluence in J/cm2", example = "12") @DecimalMin("0") @Digits(integer = 5, fraction = 3) BigDecimal fluenceJPerCm2,
            @Schema(description = "Wavelength in nm", example = "1550") @Min(100) @Max(20000) Integer wavelengthNm,
            @Schema(description = "Groups the sessions of one planned series", example = "bbl-2026-spring") @Size(max = 100) String seriesId,
            @Schema(description = "How many sessions the series is planned for (policy default when absent)", example = "3") @Min(1) Integer seriesPlannedSessions,
            @Schema(description = "Who operated the device, when not the recording user") @Size(max = 200) String operator,
            @Valid OverrideBody override) implements EntryRequest, Overridable {
        @Override
        public LaserSessionDetails toDetails() {
            return new LaserSessionDetails(occurredAt, deviceClass, deviceModel, zones, passes, densityPercent,
                    energyMj, fluenceJPerCm2, wavelengthNm, seriesId, seriesPlannedSessions, operator);
        }
    }

    @Schema(name = "PhotoImage", description = "One image: the bytes stay outside the ledger, the SHA-256 is the anchor")
    public record PhotoImageBody(
            @Schema(description = "View, e.g. FRONT, LEFT_45", example = "FRONT", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Size(max = 50) String view,
            @Schema(description = "SHA-256 of the image bytes, 64 hex digits", requiredMode = Schema.RequiredMode.REQUIRED)
            @NotBlank @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hexadecimal digits") String sha256,
            @Schema(description = "Where the image is kept", example = "s3://clinic-photos/2026/03/abc.jpg") @Size(max = 2000) String uri) {
        PhotoImage toImage() { return new PhotoImage(view, sha256.toLowerCase(Locale.ROOT), uri); }
    }

    @Schema(name = "PhotoCheckpointRequest")
    public record PhotoCheckpointRequest(
            @Schema(description = "Clinical time", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull CheckpointKind kind,
            @ArraySchema(minItems = 1, schema = @Schema(implementation = PhotoImageBody.class))
            @NotEmpty List<@NotNull @Valid PhotoImageBody> images) implements EntryRequest {
        @Override
        public PhotoCheckpointDetails toDetails() {
            return new PhotoCheckpointDetails(occurredAt, kind, images.stream().map(PhotoImageBody::toImage).toList());
        }
    }

    @Schema(name = "SideEffectRequest", description = "A side effect; it stays open until a resolution is recorded")
    public record SideEffectRequest(
            @Schema(description = "Onset (clinical time)", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull SideEffectType type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Severity severity,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Zone zone,
            @Schema(description = "The suspected treatment's entry id") @Size(max = 100) String relatedEntryId,
            @Schema(description = "Free text (never logged)") @Size(max = 4000) String note) implements EntryRequest {
        @Override
        public SideEffectDetails toDetails() {
            return new SideEffectDetails(occurredAt, type, severity, zone, relatedEntryId, note);
        }
    }

    @Schema(name = "SideEffectResolutionRequest")
    public record ResolutionRequest(
            @Schema(description = "When it resolved (clinical time)", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Instant occurredAt,
            @Schema(description = "Free text (never logged)") @Size(max = 4000) String note) implements EntryRequest {
        @Override
        public SideEffectResolutionDetails toDetails() {
            return new SideEffectResolutionDetails(occurredAt, note);
        }
    }

    @Schema(name = "CycleFactorRequest", description = "Something that changes how long results last")
    public record CycleFactorRequest(
            @Schema(description = "Clinical time", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Instant occurredAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull CycleFactor factor,
            @Schema(description = "Free text (never logged)") @Size(max = 4000) String note) implements EntryRequest {
        @Override
        public CycleFactorDetails toDetails() {
            return new CycleFactorDetails(occurredAt, factor, note);
        }
    }

    @Schema(name = "MovementReturnRequest", description = "The effect is observed wearing off")
    public record MovementReturnRequest(
            @Schema(description = "Clinical time", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull Instant occurredAt,
            @ArraySchema(schema = @Schema(implementation = Site.class), arraySchema = @Schema(description = "Sites where movement returned"))
            List<@NotNull Site> sites) implements EntryRequest {
        @Override
        public MovementReturnDetails toDetails() {
            return new MovementReturnDetails(occurredAt, sites);
        }
    }

    @Schema(name = "CorrectionRequest", description = "Amends or voids an earlier entry (CLINICIAN only). The original stays in the history.")
    public record CorrectionRequest(
            @Schema(description = "The entry to correct", requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 100) String targetEntryId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @NotNull CorrectionAction action,
            @Schema(description = "Why", example = "Wrong site charted", requiredMode = Schema.RequiredMode.REQUIRED) @NotBlank @Size(max = 2000) String reason,
            @Schema(description = "For AMEND: the corrected body, in the same shape as the original write body (without override)", type = "object")
            JsonNode replacement,
            @Valid OverrideBody override) implements Overridable { }

    // ---- responses -------------------------------------------------------------------------------------

    @Schema(name = "PatientCreated")
    public record PatientCreated(@Schema(description = "The new patient's id (a UUID, pseudonymous)") String patientId) { }

    @Schema(name = "EntryCreated")
    public record EntryCreated(@Schema(description = "The new entry's id") String entryId) { }

    @Schema(name = "SideEffectCreated")
    public record SideEffectCreated(@Schema(description = "Id to resolve the side effect with") String sideEffectId,
                                    @Schema(description = "The report's entry id") String entryId) { }
}
