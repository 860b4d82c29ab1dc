package org.treatmentledger.api.patient;

import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.http.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.treatmentledger.core.api.DurabilityDimension;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.FindDurability;
import org.treatmentledger.core.api.FindHistory;
import org.treatmentledger.core.api.FindIntervals;
import org.treatmentledger.core.api.FindLotAdministrations;
import org.treatmentledger.core.api.FindSchedule;
import org.treatmentledger.core.api.FindUnitHistory;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.projections.durability.DurabilityView;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.intervals.IntervalsView;
import org.treatmentledger.projections.lots.LotAdministrationsView;
import org.treatmentledger.projections.schedule.ScheduleView;
import org.treatmentledger.projections.units.UnitHistoryView;

import org.treatmentledger.api.clinics.ClinicScope;
import org.treatmentledger.api.consistency.ReadYourWrites;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.Arrays;

/**
 * The read endpoints: thin translations to queries on Axon's query bus. Every patient read sees the writes
 * acknowledged before it started, on any node ({@link ReadYourWrites}): it waits briefly for the read models, then
 * answers 503 READ_MODEL_BEHIND with Retry-After, never an answer without the write. An unknown patient is 404:
 * unknown to the event store, not merely to a read model.
 */
@RestController
@Tag(name = "Reads", description = "Read models; a patient read reflects every write acknowledged before it started")
public class ReadController {

    private final LedgerGateway gateway;
    private final ReadYourWrites readYourWrites;

    private final PlatformTransactionManager transactions;

    public ReadController(LedgerGateway gateway, ReadYourWrites readYourWrites, PlatformTransactionManager transactions) {
        this.gateway = gateway;
        this.readYourWrites = readYourWrites;
        this.transactions = transactions;
    }

    /** The patient's registration as currently recorded: {@code details} holds clinicId, sex, birthYear, externalRef. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatientView(String patientId, Instant registeredAt, Instant recordedAt, String recordedBy,
                              JsonNode details,
                              @io.swagger.v3.oas.annotations.media.Schema(description = "true once the patient's personal "
                                      + "data is erased: birthYear and externalRef then read as null") Boolean erased) { }

    @GetMapping("/api/patients/{patientId}")
    @Operation(summary = "The patient's registration, as currently recorded (the resource a registration's Location names)",
            description = "Roles: INJECTOR, CLINICIAN, AUDITOR. Read from the history read model, so amendments of "
                    + "the registration apply; every earlier version is in the history.")
    public PatientView patient(@PathVariable String patientId) {
        PatientId id = PatientId.of(patientId);
        HistoryView history = found(id, () -> gateway.queryOptional(new FindHistory(id, null), HistoryView.class));
        HistoryView.Entry registration = history.entries().stream().filter(e -> e.type() == EntryType.REGISTRATION)
                .findFirst().orElseThrow(() -> notFound(id));
        return new PatientView(id.value(), registration.occurredAt(), registration.recordedAt(),
                registration.recordedBy(), registration.details(), history.erased());
    }

    @GetMapping("/api/patients/{patientId}/schedule")
    @Operation(summary = "Maintenance schedule", description = "Roles: INJECTOR, CLINICIAN, AUDITOR.")
    public ScheduleView schedule(@PathVariable String patientId) {
        PatientId id = PatientId.of(patientId);
        return found(id, () -> gateway.queryOptional(new FindSchedule(id), ScheduleView.class));
    }

    @GetMapping("/api/patients/{patientId}/units")
    @Operation(summary = "Cumulative units per product and site (lifetime, per cycle, rolling 90 days)",
            description = "Roles: INJECTOR, CLINICIAN, AUDITOR.")
    public UnitHistoryView units(@PathVariable String patientId) {
        PatientId id = PatientId.of(patientId);
        return found(id, () -> gateway.queryOptional(new FindUnitHistory(id), UnitHistoryView.class));
    }

    @GetMapping("/api/patients/{patientId}/intervals")
    @Operation(summary = "Interval drift between consecutive cycles", description = "Roles: INJECTOR, CLINICIAN, AUDITOR.")
    public IntervalsView intervals(@PathVariable String patientId) {
        PatientId id = PatientId.of(patientId);
        return found(id, () -> gateway.queryOptional(new FindIntervals(id), IntervalsView.class));
    }

    @GetMapping("/api/patients/{patientId}/history")
    @Operation(summary = "Audit timeline in occurredAt order, optionally as it had been recorded at an instant",
            description = "Roles: INJECTOR, CLINICIAN, AUDITOR.")
    public HistoryView history(@PathVariable String patientId,
                               @Parameter(description = "ISO-8601 instant: the history exactly as recorded at that time. Inclusive, at millisecond resolution: an entry counts if its recordedAt (stored to the millisecond) is at or before asOf.", example = "2026-03-31T00:00:00Z")
                               @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf) {
        PatientId id = PatientId.of(patientId);
        // As of an instant before the registration the answer is a plain 404, once the read models are caught up.
        return found(id, () -> gateway.queryOptional(new FindHistory(id, asOf), HistoryView.class));
    }

    @GetMapping("/api/analytics/durability")
    @Operation(summary = "How long results last, across the caller's clinics' patients", description = "Role: ANALYST. Counts only the patients of the caller's clinics.")
    public DurabilityView durability(
            @Parameter(description = "Comma-separated dimensions: product, site, dose_band, intent, laser_co_treatment", example = "product,site")
            @RequestParam(required = false) String groupBy) {
        List<DurabilityDimension> dimensions = dimensions(groupBy);
        // The caller's clinics only: row-level security in the query's transaction (api.clinics).
        return ClinicScope.readOnly(transactions, () -> gateway.query(new FindDurability(dimensions), DurabilityView.class));
    }

    @GetMapping("/api/lots/{lotNumber}/patients")
    @Operation(summary = "Lot recall: who received a lot, when, how many units", description = "Roles: CLINICIAN, AUDITOR. Lists only the patients of the caller's clinics.")
    public LotAdministrationsView lot(@PathVariable String lotNumber) {
        return ClinicScope.readOnly(transactions, () -> gateway.query(new FindLotAdministrations(lotNumber), LotAdministrationsView.class));
    }

    static List<DurabilityDimension> dimensions(String groupBy) {
        List<DurabilityDimension> dimensions = new ArrayList<>();
        if (groupBy == null || groupBy.isBlank()) return dimensions;
        for (String raw : groupBy.split(",")) {
            // The response's field names (doseBand, laserCoTreatment) and the enum names both work.
            String name = raw.trim().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) continue;
            try {
                DurabilityDimension dimension = DurabilityDimension.valueOf(name);
                if (!dimensions.contains(dimension)) dimensions.add(dimension);
            } catch (IllegalArgumentException e) {
                throw new InvalidBodyException(Problems.badRequest("Unknown groupBy dimension '" + raw.trim() + "'",
                        List.of(new Problems.FieldError("groupBy", "unknown value '" + raw.trim() + "'; allowed: "
                                + Arrays.toString(DurabilityDimension.values())))));
            }
        }
        return dimensions;
    }

    /**
     * The view as of every write acknowledged before this read, or 404 if the event store has no such patient.
     * The patient's clinic was checked before (api.clinics.PatientClinics); the read models are read as the
     * caller's clinics all the same.
     */
    private <V> V found(PatientId id, Supplier<Optional<V>> query) {
        return ClinicScope.read(() -> readYourWrites.read(id, query)).orElseThrow(() -> notFound(id));
    }

    private static NotFoundException notFound(PatientId id) {
        return new NotFoundException("PATIENT_NOT_FOUND", "No patient with id " + id.value());
    }
}
