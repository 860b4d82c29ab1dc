package org.treatmentledger.api.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.erasure.ErasureController;
import org.treatmentledger.api.patient.CorrectionController;
import org.treatmentledger.api.patient.PatientWriteController;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.api.patient.WriteRequests;
import org.treatmentledger.core.api.CheckpointKind;
import org.treatmentledger.core.api.CorrectionAction;
import org.treatmentledger.core.api.CycleFactor;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.Indication;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Severity;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.projections.history.HistoryView;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The forms for every write of the HTTP contract. Each POST reads its fields into the API's own request body
 * (api.patient.WriteRequests) and calls the API's own endpoint method ({@link PatientWriteController},
 * {@link CorrectionController}): the same command, the same rules, the same "only a clinician overrides" check,
 * the same refusals. A refusal re-shows the form with the rule's sentence and earliest date, and to a clinician a
 * field for the override's reason; a success redirects to the patient's page (post/redirect/get).
 */
@Controller
@Hidden
public class WriteFormsController {

    /** The forms, by the path segment after /patients/{id}/record/. */
    static final Map<String, String> TITLES = new LinkedHashMap<>();

    static {
        TITLES.put("injection", "Record an injection");
        TITLES.put("touch-up", "Record a touch-up");
        TITLES.put("laser-session", "Record a laser session");
        TITLES.put("photo-checkpoint", "Record a photo checkpoint");
        TITLES.put("side-effect", "Report a side effect");
        TITLES.put("resolution", "Resolve a side effect");
        TITLES.put("cycle-factor", "Report a cycle factor");
        TITLES.put("movement-return", "Record movement return");
        TITLES.put("correction", "Correct an entry");
        TITLES.put("erasure", "Erase personal data");
    }

    private final PatientWriteController writes;
    private final CorrectionController corrections;
    private final ErasureController erasure;
    private final ReadController reads;
    private final UiLedger ui;

    public WriteFormsController(PatientWriteController writes, CorrectionController corrections, ErasureController erasure,
                                ReadController reads, UiLedger ui) {
        this.writes = writes;
        this.corrections = corrections;
        this.erasure = erasure;
        this.reads = reads;
        this.ui = ui;
    }

    // ---- the forms ------------------------------------------------------------------------------------

    @GetMapping("/register")
    public String registerForm(Model model) {
        Map<String, String> form = new HashMap<>();
        form.put("registeredAt", ui.nowLocal());
        return show(model, "register", null, form, null);
    }

    @GetMapping("/patients/{patientId}/record/{kind}")
    public String form(@PathVariable String patientId, @PathVariable String kind,
                       @RequestParam(required = false) String sideEffectId,
                       @RequestParam(required = false) String targetEntryId, Model model) {
        if (!TITLES.containsKey(kind)) throw new org.treatmentledger.api.http.NotFoundException("FORM_NOT_FOUND", "No such form");
        Map<String, String> form = new HashMap<>();
        form.put("occurredAt", ui.nowLocal());
        if (sideEffectId != null) form.put("sideEffectId", sideEffectId);
        if (targetEntryId != null) {
            form.put("targetEntryId", targetEntryId);
            form.put("action", "AMEND");
            form.put("replacement", replacementOf(patientId, targetEntryId));
        }
        return show(model, kind, patientId, form, null);
    }

    // ---- the writes -----------------------------------------------------------------------------------

    @PostMapping("/patients")
    public String register(@RequestParam MultiValueMap<String, String> fields, Model model, HttpServletResponse response) {
        ObjectNode json = object(fields, "clinicId", "sex", "externalRef");
        putNumber(json, "birthYear", fields.getFirst("birthYear"));
        put(json, "registeredAt", ui.instant(fields.getFirst("registeredAt")));
        String clinic = fields.getFirst("clinicId");
        if (clinic != null && !CallerClinics.current().contains(clinic)) {
            // The API's register() refuses another clinic with 403; the form offers only the caller's clinics.
            return fail(model, response, "register", null, fields,
                    UiLedger.Outcome.invalid(List.of("clinicId: not one of your clinics"), 400));
        }
        UiLedger.Outcome outcome = ui.write(() ->
                writes.register(ui.body(json, WriteRequests.RegisterPatientRequest.class)).getBody());
        if (!outcome.ok()) return fail(model, response, "register", null, fields, outcome);
        return seeOther("/patients/" + ((WriteRequests.PatientCreated) outcome.answer()).patientId());
    }

    @PostMapping("/patients/{patientId}/injections")
    public String injection(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                            Model model, HttpServletResponse response) {
        ObjectNode json = doses(fields, true);
        return done(model, response, "injection", patientId, fields, () ->
                writes.injection(patientId, ui.body(json, WriteRequests.InjectionRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/touch-ups")
    public String touchUp(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                          Model model, HttpServletResponse response) {
        ObjectNode json = doses(fields, false);
        return done(model, response, "touch-up", patientId, fields, () ->
                writes.touchUp(patientId, ui.body(json, WriteRequests.TouchUpRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/laser-sessions")
    public String laser(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                        Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields, "deviceClass", "deviceModel", "seriesId", "operator");
        array(json, "zones", fields.get("zones"));
        for (String number : List.of("passes", "densityPercent", "energyMj", "fluenceJPerCm2", "wavelengthNm",
                "seriesPlannedSessions")) {
            putNumber(json, number, fields.getFirst(number));
        }
        override(json, fields);
        return done(model, response, "laser-session", patientId, fields, () ->
                writes.laserSession(patientId, ui.body(json, WriteRequests.LaserSessionRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/photo-checkpoints")
    public String photo(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                        Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields, "kind");
        ObjectNode image = json.putArray("images").addObject();
        put(image, "view", fields.getFirst("view"));
        put(image, "sha256", fields.getFirst("sha256"));
        put(image, "uri", fields.getFirst("uri"));
        return done(model, response, "photo-checkpoint", patientId, fields, () ->
                writes.photoCheckpoint(patientId, ui.body(json, WriteRequests.PhotoCheckpointRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/side-effects")
    public String sideEffect(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                             Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields, "type", "severity", "zone", "relatedEntryId", "note");
        return done(model, response, "side-effect", patientId, fields, () ->
                writes.sideEffect(patientId, ui.body(json, WriteRequests.SideEffectRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/side-effects/{sideEffectId}/resolution")
    public String resolution(@PathVariable String patientId, @PathVariable String sideEffectId,
                             @RequestParam MultiValueMap<String, String> fields, Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields, "note");
        return done(model, response, "resolution", patientId, fields, () ->
                writes.resolution(patientId, sideEffectId, ui.body(json, WriteRequests.ResolutionRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/cycle-factors")
    public String cycleFactor(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                              Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields, "factor", "note");
        return done(model, response, "cycle-factor", patientId, fields, () ->
                writes.cycleFactor(patientId, ui.body(json, WriteRequests.CycleFactorRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/movement-returns")
    public String movementReturn(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                                 Model model, HttpServletResponse response) {
        ObjectNode json = timed(fields);
        array(json, "sites", fields.get("sites"));
        return done(model, response, "movement-return", patientId, fields, () ->
                writes.movementReturn(patientId, ui.body(json, WriteRequests.MovementReturnRequest.class)).getBody());
    }

    @PostMapping("/patients/{patientId}/corrections")
    public String correction(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                             Model model, HttpServletResponse response) {
        ObjectNode json = object(fields, "targetEntryId", "action", "reason");
        String replacement = fields.getFirst("replacement");
        if (replacement != null && !replacement.isBlank() && !"VOID".equals(fields.getFirst("action"))) {
            try {
                json.set("replacement", ui.mapper().readTree(replacement));
            } catch (Exception e) {
                return fail(model, response, "correction", patientId, fields,
                        UiLedger.Outcome.invalid(List.of("replacement: not valid JSON"), 400));
            }
        }
        override(json, fields);
        return done(model, response, "correction", patientId, fields, () ->
                corrections.correct(patientId, ui.body(json, WriteRequests.CorrectionRequest.class)).getBody());
    }

    /** The API's erasure endpoint: the key destroyed, the patient's personal fields null from then on (clinician). */
    @PostMapping("/patients/{patientId}/erasure")
    public String erasure(@PathVariable String patientId, @RequestParam MultiValueMap<String, String> fields,
                          Model model, HttpServletResponse response) {
        ObjectNode json = object(fields, "reason");
        return done(model, response, "erasure", patientId, fields, () ->
                erasure.erase(patientId, ui.body(json, ErasureController.ErasureRequest.class)).getBody());
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private String done(Model model, HttpServletResponse response, String kind, String patientId,
                        MultiValueMap<String, String> fields, Supplier<Object> send) {
        UiLedger.Outcome outcome = ui.write(send);
        if (!outcome.ok()) return fail(model, response, kind, patientId, fields, outcome);
        return seeOther("/patients/" + patientId);
    }

    /** Post/redirect/get with 303 See Other: the browser GETs the patient's page, a reload posts nothing again. */
    private static String seeOther(String path) {
        org.springframework.web.context.request.RequestContextHolder.currentRequestAttributes().setAttribute(
                org.springframework.web.servlet.View.RESPONSE_STATUS_ATTRIBUTE, org.springframework.http.HttpStatus.SEE_OTHER,
                org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
        return "redirect:" + path;
    }

    private String fail(Model model, HttpServletResponse response, String kind, String patientId,
                        MultiValueMap<String, String> fields, UiLedger.Outcome outcome) {
        response.setStatus(outcome.status());
        return show(model, kind, patientId, fields.toSingleValueMap(), outcome, fields);
    }

    private String show(Model model, String kind, String patientId, Map<String, String> form, UiLedger.Outcome outcome) {
        return show(model, kind, patientId, form, outcome, null);
    }

    private String show(Model model, String kind, String patientId, Map<String, String> form, UiLedger.Outcome outcome,
                        MultiValueMap<String, String> multi) {
        model.addAttribute("kind", kind);
        model.addAttribute("title", kind.equals("register") ? "Register a patient" : TITLES.get(kind));
        model.addAttribute("patientId", patientId);
        model.addAttribute("form", form);
        model.addAttribute("chosen", multi == null ? Map.of() : Map.of(
                "zones", Set.copyOf(multi.getOrDefault("zones", List.of())),
                "sites", Set.copyOf(multi.getOrDefault("sites", List.of()))));
        model.addAttribute("outcome", outcome);
        model.addAttribute("zone", ui.zone());
        model.addAttribute("clinics", CallerClinics.current());
        model.addAttribute("products", Product.values());
        model.addAttribute("intents", DoseIntent.values());
        model.addAttribute("indications", Indication.values());
        model.addAttribute("sites", Site.values());
        model.addAttribute("faceSites", FaceMap.POINTS);
        model.addAttribute("deviceClasses", LaserDeviceClass.values());
        model.addAttribute("zones", Zone.values());
        model.addAttribute("checkpointKinds", CheckpointKind.values());
        model.addAttribute("sideEffectTypes", SideEffectType.values());
        model.addAttribute("severities", Severity.values());
        model.addAttribute("cycleFactors", CycleFactor.values());
        model.addAttribute("correctionActions", CorrectionAction.values());
        model.addAttribute("sexes", Sex.values());
        return "ui/form";
    }

    /** An injection's or touch-up's body: the face map's units per site become its site doses. */
    private ObjectNode doses(MultiValueMap<String, String> fields, boolean injection) {
        ObjectNode json = timed(fields, "product", "indication", "injector");
        if (injection) put(json, "intent", fields.getFirst("intent"));
        ObjectNode lot = json.putObject("lot");
        put(lot, "number", fields.getFirst("lotNumber"));
        put(lot, "expiresOn", fields.getFirst("lotExpiresOn"));
        putNumber(json, "dilutionMlPer100U", fields.getFirst("dilutionMlPer100U"));
        ArrayNode sites = json.putArray("sites");
        for (Site site : Site.values()) {
            String units = fields.getFirst("units_" + site.name());
            if (units == null || units.isBlank()) continue;
            ObjectNode dose = sites.addObject();
            dose.put("site", site.name());
            putNumber(dose, "units", units);
        }
        override(json, fields);
        return json;
    }

    private ObjectNode timed(MultiValueMap<String, String> fields, String... names) {
        ObjectNode json = object(fields, names);
        put(json, "occurredAt", ui.instant(fields.getFirst("occurredAt")));
        return json;
    }

    private ObjectNode object(MultiValueMap<String, String> fields, String... names) {
        ObjectNode json = ui.mapper().createObjectNode();
        for (String name : names) put(json, name, fields.getFirst(name));
        return json;
    }

    private static void override(ObjectNode json, MultiValueMap<String, String> fields) {
        String reason = fields.getFirst("overrideReason");
        if (reason != null && !reason.isBlank()) json.putObject("override").put("reason", reason);
    }

    private static void put(ObjectNode json, String name, String value) {
        if (value != null && !value.isBlank()) json.put(name, value.trim());
    }

    /** A number field as a JSON number when it reads as one (else as text, which the body's reader names). */
    private static void putNumber(ObjectNode json, String name, String value) {
        if (value == null || value.isBlank()) return;
        try {
            // Whole numbers as integers: the API's reader does not take 1985.0 for an integer field.
            java.math.BigDecimal number = new java.math.BigDecimal(value.trim());
            if (number.scale() <= 0) json.put(name, number.toBigIntegerExact());
            else json.put(name, number);
        } catch (NumberFormatException | ArithmeticException e) {
            json.put(name, value.trim());
        }
    }

    private static void array(ObjectNode json, String name, List<String> values) {
        if (values == null) return;
        ArrayNode array = json.putArray(name);
        values.stream().filter(v -> v != null && !v.isBlank()).forEach(array::add);
    }

    /** The target entry's current content as a replacement body to edit (its own fields, occurredAt included). */
    private String replacementOf(String patientId, String entryId) {
        HistoryView history = reads.history(patientId, null);
        for (HistoryView.Entry e : history.entries()) {
            if (!e.entryId().equals(entryId) || e.details() == null) continue;
            ObjectNode body = ((ObjectNode) e.details()).deepCopy();
            body.remove(List.of("advisories", "sideEffectId", "cycle", "recordedBy", "recordedAt"));
            body.put("occurredAt", e.occurredAt().toString());
            return body.toPrettyString();
        }
        return "";
    }
}
