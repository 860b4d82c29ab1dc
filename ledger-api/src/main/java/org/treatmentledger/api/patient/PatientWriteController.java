package org.treatmentledger.api.patient;

import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.http.RequestIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.treatmentledger.api.security.Roles;
import org.treatmentledger.api.patient.WriteRequests.CycleFactorRequest;
import org.treatmentledger.api.patient.WriteRequests.EntryCreated;
import org.treatmentledger.api.patient.WriteRequests.InjectionRequest;
import org.treatmentledger.api.patient.WriteRequests.LaserSessionRequest;
import org.treatmentledger.api.patient.WriteRequests.MovementReturnRequest;
import org.treatmentledger.api.patient.WriteRequests.Overridable;
import org.treatmentledger.api.patient.WriteRequests.PatientCreated;
import org.treatmentledger.api.patient.WriteRequests.PhotoCheckpointRequest;
import org.treatmentledger.api.patient.WriteRequests.RegisterPatientRequest;
import org.treatmentledger.api.patient.WriteRequests.ResolutionRequest;
import org.treatmentledger.api.patient.WriteRequests.SideEffectCreated;
import org.treatmentledger.api.patient.WriteRequests.SideEffectRequest;
import org.treatmentledger.api.patient.WriteRequests.TouchUpRequest;
import org.treatmentledger.core.api.ObserveMovementReturn;
import org.treatmentledger.core.api.OverrideRequest;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordLaserSession;
import org.treatmentledger.core.api.RecordPhotoCheckpoint;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.RegisterPatient;
import org.treatmentledger.core.api.ReportCycleFactor;
import org.treatmentledger.core.api.ReportSideEffect;
import org.treatmentledger.core.api.ResolveSideEffect;

import java.net.URI;

/** The write endpoints of docs/http-api.md: each builds one command, sends it as the caller, answers 201. */
@RestController
@RequestMapping("/api/patients")
@Tag(name = "Writes", description = "Record what happened. Every write may carry an Idempotency-Key header.")
public class PatientWriteController {

    private final LedgerGateway gateway;
    private final RequestIds ids;

    public PatientWriteController(LedgerGateway gateway, RequestIds ids) {
        this.gateway = gateway;
        this.ids = ids;
    }

    @PostMapping
    @Operation(summary = "Register a patient", description = "Opens a pseudonymous patient ledger. Roles: INJECTOR, CLINICIAN; "
            + "only into one of the caller's clinics (another clinic answers 403).")
    @ApiResponse(responseCode = "201", description = "Registered; Location names the patient (GET /api/patients/{patientId})",
            useReturnTypeSchema = true, headers = @Header(name = "Location", required = true,
            description = "The new patient's URL", schema = @Schema(type = "string", format = "uri")))
    public ResponseEntity<PatientCreated> register(@Valid @RequestBody RegisterPatientRequest body) {
        if (!CallerClinics.current().contains(body.clinicId())) {
            throw new AccessDeniedException("The caller does not belong to clinic " + body.clinicId());
        }
        PatientId id = PatientId.of(ids.next("patient"));
        gateway.send(new RegisterPatient(id, body.clinicId(), body.sex(), body.birthYear(), body.externalRef(),
                body.registeredAt()));
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(id.value()).toUri();
        return ResponseEntity.created(location).body(new PatientCreated(id.value()));
    }

    @PostMapping("/{patientId}/injections")
    @Operation(summary = "Record an initial injection (opens a cycle)",
            description = "Timing refusals answer 409 with the rule code and earliest allowed date; a CLINICIAN may add `override`. Roles: INJECTOR, CLINICIAN (override: CLINICIAN).")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<RecordedEntry> injection(@PathVariable String patientId, @Valid @RequestBody InjectionRequest body) {
        String entryId = ids.next("entry");
        RecordedEntry recorded = gateway.send(new RecordInjection(patient(patientId), entryId, body.toDetails(), override(body)));
        return created(recorded, entryId);
    }

    @PostMapping("/{patientId}/touch-ups")
    @Operation(summary = "Record a touch-up inside the open cycle", description = "Roles: INJECTOR, CLINICIAN (override: CLINICIAN).")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<RecordedEntry> touchUp(@PathVariable String patientId, @Valid @RequestBody TouchUpRequest body) {
        String entryId = ids.next("entry");
        RecordedEntry recorded = gateway.send(new RecordTouchUp(patient(patientId), entryId, body.toDetails(), override(body)));
        return created(recorded, entryId);
    }

    @PostMapping("/{patientId}/laser-sessions")
    @Operation(summary = "Record a laser session", description = "Roles: INJECTOR, CLINICIAN (override: CLINICIAN).")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<RecordedEntry> laserSession(@PathVariable String patientId, @Valid @RequestBody LaserSessionRequest body) {
        String entryId = ids.next("entry");
        RecordedEntry recorded = gateway.send(new RecordLaserSession(patient(patientId), entryId, body.toDetails(), override(body)));
        return created(recorded, entryId);
    }

    @PostMapping("/{patientId}/photo-checkpoints")
    @Operation(summary = "Record a photo checkpoint (hashes and locations, never image bytes)", description = "Roles: INJECTOR, CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<EntryCreated> photoCheckpoint(@PathVariable String patientId, @Valid @RequestBody PhotoCheckpointRequest body) {
        String entryId = ids.next("entry");
        gateway.send(new RecordPhotoCheckpoint(patient(patientId), entryId, body.toDetails()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(entryId));
    }

    @PostMapping("/{patientId}/side-effects")
    @Operation(summary = "Report a side effect (open until resolved)", description = "Roles: INJECTOR, CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<SideEffectCreated> sideEffect(@PathVariable String patientId, @Valid @RequestBody SideEffectRequest body) {
        String entryId = ids.next("entry");
        String sideEffectId = ids.next("side-effect");
        gateway.send(new ReportSideEffect(patient(patientId), entryId, sideEffectId, body.toDetails()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new SideEffectCreated(sideEffectId, entryId));
    }

    @PostMapping("/{patientId}/side-effects/{sideEffectId}/resolution")
    @Operation(summary = "Record that a side effect resolved", description = "Roles: INJECTOR, CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<EntryCreated> resolution(@PathVariable String patientId, @PathVariable String sideEffectId,
                                                   @Valid @RequestBody ResolutionRequest body) {
        String entryId = ids.next("entry");
        gateway.send(new ResolveSideEffect(patient(patientId), entryId, sideEffectId, body.toDetails()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(entryId));
    }

    @PostMapping("/{patientId}/cycle-factors")
    @Operation(summary = "Report a cycle factor (stress, training, illness, weight change)", description = "Roles: INJECTOR, CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<EntryCreated> cycleFactor(@PathVariable String patientId, @Valid @RequestBody CycleFactorRequest body) {
        String entryId = ids.next("entry");
        gateway.send(new ReportCycleFactor(patient(patientId), entryId, body.toDetails()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(entryId));
    }

    @PostMapping("/{patientId}/movement-returns")
    @Operation(summary = "Record that movement has returned (the effect wears off)", description = "Roles: INJECTOR, CLINICIAN.")
    @ApiResponse(responseCode = "201", description = "Recorded", useReturnTypeSchema = true)
    public ResponseEntity<EntryCreated> movementReturn(@PathVariable String patientId, @Valid @RequestBody MovementReturnRequest body) {
        String entryId = ids.next("entry");
        gateway.send(new ObserveMovementReturn(patient(patientId), entryId, body.toDetails()));
        return ResponseEntity.status(HttpStatus.CREATED).body(new EntryCreated(entryId));
    }

    static PatientId patient(String patientId) {
        return PatientId.of(patientId);
    }

    /** Only clinicians may override; an injector's override is refused before anything is sent. */
    static OverrideRequest override(Overridable body) {
        if (body.override() == null) return null;
        boolean clinician = SecurityContextHolder.getContext().getAuthentication().getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + Roles.CLINICIAN));
        if (!clinician) {
            throw new AccessDeniedException("Only a CLINICIAN may override a rule");
        }
        return body.override().toRequest();
    }

    private static ResponseEntity<RecordedEntry> created(RecordedEntry recorded, String entryId) {
        if (recorded == null || !entryId.equals(recorded.entryId())) {
            throw new IllegalStateException("The aggregate did not answer with the recorded entry");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(recorded);
    }
}
