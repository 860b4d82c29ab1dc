package org.treatmentledger.api.ui;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.treatmentledger.api.audit.AccessLogController;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.integrity.IntegrityController;
import org.treatmentledger.api.integrity.IntegrityKeys;
import org.treatmentledger.api.integrity.IntegrityViews;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.verify.evidence.EvidenceBundle;
import org.treatmentledger.verify.evidence.EvidenceVerifier;
import org.treatmentledger.verify.evidence.TrustedKeys;
import org.treatmentledger.verify.evidence.Verdict;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The reviewer's pages: the history as recorded at an instant, the corrections trail, who accessed the record,
 * the evidence bundle with its verification, and the whole ledger's check. Each calls the API's own endpoint method
 * (ReadController, AccessLogController, IntegrityController).
 */
@Controller
@Hidden
public class AuditPagesController {

    public record TrailRow(String targetEntryId, String targetType, String action, String reason, String by, String at,
                    int supersededVersions) { }

    private final ReadController reads;
    private final AccessLogController accessLog;
    private final ObjectProvider<IntegrityController> integrity;
    private final ObjectProvider<IntegrityKeys> keys;
    private final UiLedger ui;

    public AuditPagesController(ReadController reads, AccessLogController accessLog,
                                ObjectProvider<IntegrityController> integrity, ObjectProvider<IntegrityKeys> keys,
                                UiLedger ui) {
        this.reads = reads;
        this.accessLog = accessLog;
        this.integrity = integrity;
        this.keys = keys;
        this.ui = ui;
    }

    /**
     * The history as recorded at {@code asOf}: an ISO-8601 instant (2026-03-31T00:00:00Z, to the millisecond as the
     * API takes it) or a clinic-local date-time; absent, the history as it stands.
     */
    @GetMapping("/patients/{patientId}/history")
    public String history(@PathVariable String patientId, @RequestParam(required = false) String asOf, Model model,
                          HttpServletResponse response) {
        model.addAttribute("patientId", patientId);
        model.addAttribute("asOf", asOf == null ? "" : asOf);
        Instant instant = null;
        if (asOf != null && !asOf.isBlank()) {
            instant = parseInstant(asOf.trim());
            if (instant == null) {
                response.setStatus(400);
                model.addAttribute("error", "asOf: expected an instant such as 2026-03-31T00:00:00Z or a local date-time");
                model.addAttribute("entries", List.of());
                return "ui/history";
            }
        }
        model.addAttribute("instant", instant);
        try {
            HistoryView history = reads.history(patientId, instant);
            model.addAttribute("entries", history.entries());
            model.addAttribute("rows", Timeline.rows(history, ui.zone()));
        } catch (NotFoundException e) {
            // Before the registration the patient did not exist yet: the API answers 404, the page says so.
            response.setStatus(404);
            model.addAttribute("error", "Nothing was recorded for this patient at that instant.");
            model.addAttribute("entries", List.of());
        }
        return "ui/history";
    }

    private Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).atZone(ui.zone()).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    @GetMapping("/patients/{patientId}/corrections")
    public String corrections(@PathVariable String patientId, Model model) {
        List<TrailRow> trail = new ArrayList<>();
        for (HistoryView.Entry e : reads.history(patientId, null).entries()) {
            if (e.corrections() == null) continue;
            int superseded = e.superseded() == null ? 0 : e.superseded().size();
            for (HistoryView.Correction c : e.corrections()) {
                trail.add(new TrailRow(e.entryId(), Timeline.label(e.type()), c.action().name(), c.reason(),
                        c.recordedBy(), c.recordedAt().toString(), superseded));
            }
        }
        model.addAttribute("patientId", patientId);
        model.addAttribute("trail", trail);
        return "ui/corrections";
    }

    @GetMapping("/patients/{patientId}/access-log")
    public String accessLog(@PathVariable String patientId, Model model) {
        model.addAttribute("patientId", patientId);
        model.addAttribute("entries", accessLog.patientLog(patientId, 200, null).entries());
        return "ui/access-log";
    }

    /**
     * The evidence bundle, checked here with the offline verifier against this service's signing key (a reviewer
     * checks the downloaded bundle with ledger-verify against a key obtained elsewhere). {@code ?download} answers
     * the bundle's JSON, as GET /api/patients/{id}/evidence does.
     */
    @GetMapping("/patients/{patientId}/evidence")
    public Object evidence(@PathVariable String patientId, @RequestParam(required = false) String download,
                           Model model) throws Exception {
        IntegrityController controller = integrity.getIfAvailable();
        model.addAttribute("patientId", patientId);
        if (controller == null) {
            model.addAttribute("disabled", true);
            return "ui/evidence";
        }
        IntegrityViews.EvidenceView bundle = controller.evidence(patientId);
        byte[] json = ui.mapper().writeValueAsBytes(bundle);
        if (download != null) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evidence-" + patientId + ".json\"")
                    .body(json);
        }
        Verdict verdict = EvidenceVerifier.verify(EvidenceBundle.parse(json),
                TrustedKeys.ofRaw(keys.getObject().signer().verifierKey().publicKey()));
        model.addAttribute("disabled", false);
        model.addAttribute("bundle", bundle);
        model.addAttribute("verdict", verdict);
        return "ui/evidence";
    }

    @GetMapping("/integrity")
    public String integrity(Model model) {
        IntegrityController controller = integrity.getIfAvailable();
        model.addAttribute("checkpoint", controller == null ? null : controller.checkpoint());
        return "ui/integrity";
    }

    @PostMapping("/integrity")
    public String verify(Model model) {
        IntegrityController controller = integrity.getIfAvailable();
        model.addAttribute("checkpoint", controller == null ? null : controller.checkpoint());
        model.addAttribute("verification", controller == null ? null : controller.verify());
        return "ui/integrity";
    }
}
