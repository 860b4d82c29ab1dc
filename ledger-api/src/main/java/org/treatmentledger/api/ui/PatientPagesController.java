package org.treatmentledger.api.ui;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.projections.schedule.ScheduleItem;
import org.treatmentledger.projections.schedule.ScheduleView;
import org.treatmentledger.projections.history.HistoryView;
import org.treatmentledger.projections.units.UnitHistoryView;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The clinic's patients and one patient's pages. Every read is the API's own ({@link ReadController}'s methods:
 * the caller's clinic scope for row-level security, read-your-writes); the clinic check and the access record
 * happen in the UI's filter chain, exactly as for /api/patients/{id}. Only patient ids appear in URLs: the search
 * is a POST, so what is typed never lands in a URL, a log or the browser's history.
 */
@Controller
@Hidden
public class PatientPagesController {

    private final ReadController reads;
    private final UiLedger ui;

    public PatientPagesController(ReadController reads, UiLedger ui) {
        this.reads = reads;
        this.ui = ui;
    }

    @GetMapping("/patients")
    public String list(Model model) {
        model.addAttribute("patients", ui.patients(""));
        model.addAttribute("q", "");
        return "ui/patients";
    }

    @PostMapping("/patient-search")
    public String search(@RequestParam(defaultValue = "") String q, Model model) {
        model.addAttribute("patients", ui.patients(q));
        model.addAttribute("q", q);
        return "ui/patients";
    }

    @GetMapping("/patients/{patientId}")
    public String patient(@PathVariable String patientId, Model model) {
        HistoryView history = reads.history(patientId, null);
        model.addAttribute("patientId", patientId);
        // The registration as currently recorded, from the same history (as ReadController.patient reads it).
        model.addAttribute("registration", history.entries().stream()
                .filter(e -> e.type() == org.treatmentledger.core.api.EntryType.REGISTRATION).findFirst()
                .map(e -> Timeline.lines(e.details())).orElse(List.of()));
        model.addAttribute("rows", Timeline.rows(history, ui.zone()));
        model.addAttribute("erased", Boolean.TRUE.equals(history.erased()));
        model.addAttribute("openSideEffects", Timeline.openSideEffects(history, ui.zone()));
        model.addAttribute("zone", ui.zone());
        // Asked once here, not once per entry in the template (300 method calls through SpEL cost 0.3 s).
        model.addAttribute("canCorrect", UiModel.current().has("CLINICIAN"));
        model.addAttribute("correctLink", "/patients/" + patientId + "/record/correction?targetEntryId=");
        return "ui/patient";
    }

    @GetMapping("/patients/{patientId}/schedule")
    public String schedule(@PathVariable String patientId, Model model) {
        model.addAttribute("patientId", patientId);
        ScheduleView schedule = reads.schedule(patientId);
        model.addAttribute("schedule", schedule);
        model.addAttribute("notes", schedule.items().stream().map(PatientPagesController::notes).toList());
        return "ui/schedule";
    }

    @GetMapping("/patients/{patientId}/units")
    public String units(@PathVariable String patientId, Model model) {
        UnitHistoryView units = reads.units(patientId);
        model.addAttribute("patientId", patientId);
        model.addAttribute("units", units);
        // Per site, the units of each cycle side by side (rows: product and site; columns: cycles).
        TreeSet<Integer> cycles = new TreeSet<>();
        Map<String, Map<Integer, BigDecimal>> bySite = new TreeMap<>();
        for (UnitHistoryView.CycleSiteUnits c : units.byCycle()) {
            cycles.add(c.cycle());
            bySite.computeIfAbsent(c.product() + " " + c.site(), k -> new TreeMap<>()).put(c.cycle(), c.units().value());
        }
        List<List<String>> table = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, BigDecimal>> row : bySite.entrySet()) {
            List<String> cells = new ArrayList<>(List.of(row.getKey()));
            for (Integer cycle : cycles) {
                BigDecimal u = row.getValue().get(cycle);
                cells.add(u == null ? "" : u.stripTrailingZeros().toPlainString());
            }
            table.add(cells);
        }
        model.addAttribute("cycles", cycles);
        model.addAttribute("cycleTable", table);
        model.addAttribute("capChart", Charts.rollingAgainstCap(units.rolling90DaysByProduct()));
        return "ui/units";
    }

    @GetMapping("/patients/{patientId}/intervals")
    public String intervals(@PathVariable String patientId, Model model) {
        model.addAttribute("patientId", patientId);
        model.addAttribute("intervals", reads.intervals(patientId).intervals());
        return "ui/intervals";
    }

    /** What else the schedule item says, in words (the fields that apply to its kind). */
    static String notes(ScheduleItem i) {
        List<String> parts = new ArrayList<>();
        if (i.rule() != null) parts.add("rule " + i.rule());
        if (i.deviceClass() != null) parts.add(i.deviceClass().name());
        if (i.neckDue() != null) parts.add("neck from " + i.neckDue());
        if (i.seriesId() != null) parts.add("series " + i.seriesId());
        if (i.sessionNumber() != null) parts.add("session " + i.sessionNumber() + " of " + i.plannedSessions());
        if (i.checkpointKind() != null) parts.add(i.checkpointKind().name());
        if (i.expectedIntervalDays() != null) parts.add("expected " + i.expectedIntervalDays() + " d (" + i.basis() + ")");
        return String.join(", ", parts);
    }
}
