package org.treatmentledger.api.ui;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.projections.durability.DurabilityView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analyst's page: how long results last (median and quartiles of days until movement returns) by product,
 * site, dose band, intent and laser co-treatment, each from the analytics endpoint's own method (the caller's
 * clinics only, under row-level security), as an SVG chart and the same numbers in a table.
 */
@Controller
@Hidden
public class AnalyticsPagesController {

    public record Chart(String title, String svg, List<String> labels, List<DurabilityView.Group> groups) { }

    static final Map<String, String> DIMENSIONS = new LinkedHashMap<>();

    static {
        DIMENSIONS.put("product", "By product");
        DIMENSIONS.put("site", "By site");
        DIMENSIONS.put("dose_band", "By dose band");
        DIMENSIONS.put("intent", "By intent");
        DIMENSIONS.put("laser_co_treatment", "By laser co-treatment");
    }

    private final ReadController reads;

    public AnalyticsPagesController(ReadController reads) {
        this.reads = reads;
    }

    @GetMapping("/analytics")
    public String durability(Model model) {
        List<Chart> charts = new ArrayList<>();
        for (Map.Entry<String, String> dimension : DIMENSIONS.entrySet()) {
            DurabilityView view = reads.durability(dimension.getKey());
            List<String> labels = view.groups().stream().map(AnalyticsPagesController::label).toList();
            charts.add(new Chart(dimension.getValue(), Charts.durability("Durability " + dimension.getValue().toLowerCase(),
                    view.groups(), labels), labels, view.groups()));
        }
        model.addAttribute("charts", charts);
        return "ui/analytics";
    }

    static String label(DurabilityView.Group g) {
        List<String> parts = new ArrayList<>();
        if (g.product() != null) parts.add(g.product().name());
        if (g.site() != null) parts.add(g.site().name());
        if (g.doseBand() != null) parts.add(g.doseBand().name());
        if (g.intent() != null) parts.add(g.intent().name());
        if (g.laserCoTreatment() != null) parts.add(g.laserCoTreatment() ? "with laser" : "without laser");
        return parts.isEmpty() ? "all" : String.join(" / ", parts);
    }
}
