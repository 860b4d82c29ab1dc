package org.treatmentledger.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured: machine, sizes, contenders, the workload rows and supporting numbers. */
public final class BenchReport {

    /** Every row carries these fields, null where they do not apply. */
    public static final List<String> ROW_FIELDS = List.of("name", "clients", "metric", "unit", "ours", "peer",
            "limit", "ratioToLimit", "ratioToPeer", "target", "met");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String mode;
    private final Map<String, Object> machine = new LinkedHashMap<>();
    private final Map<String, Object> sizes = new LinkedHashMap<>();
    private final Map<String, Object> contenders = new LinkedHashMap<>();
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final List<WorkloadResult> workloads = new ArrayList<>();

    public BenchReport(String mode) { this.mode = mode; }

    public Map<String, Object> machine() { return machine; }

    public Map<String, Object> sizes() { return sizes; }

    public Map<String, Object> contenders() { return contenders; }

    public Map<String, Object> extra() { return extra; }

    public List<WorkloadResult> workloads() { return workloads; }

    public void add(WorkloadResult row) { workloads.add(row); }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("benchmark", "ledger-bench");
        root.put("mode", mode);
        root.set("machine", JSON.valueToTree(machine));
        root.set("sizes", JSON.valueToTree(sizes));
        root.set("contenders", JSON.valueToTree(contenders));
        ArrayNode rows = root.putArray("workloads");
        for (WorkloadResult r : workloads) {
            ObjectNode row = rows.addObject();
            row.put("name", r.name());
            row.put("clients", r.clients());
            row.put("metric", r.metric());
            row.put("unit", r.unit());
            row.put("ours", r.ours());
            row.put("peer", r.peer());
            row.put("limit", r.limit());
            row.put("ratioToLimit", r.ratioToLimit());
            row.put("ratioToPeer", r.ratioToPeer());
            row.put("target", r.target());
            row.put("met", r.met());
            row.put("note", r.note());
            row.set("details", JSON.valueToTree(r.details()));
        }
        root.set("extra", JSON.valueToTree(extra));
        return root;
    }

    public void writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), toJson());
    }

    public String toTable() { return ResultTable.format(workloads); }
}
