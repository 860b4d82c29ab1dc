package org.treatmentledger.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the result: a metric of "ours" next to its yardsticks. {@code limit} is the PostgreSQL limit
 * where one applies; for targets about ours alone (W2, W4, memory) it holds the number the target compares
 * against (the baseline or the bound), and {@code note} says which. {@code met} is null only where the issue
 * sets no target for the row.
 */
public record WorkloadResult(String name, Integer clients, String metric, String unit,
                             Double ours, Double peer, Double limit,
                             Double ratioToLimit, Double ratioToPeer,
                             String target, Boolean met, String note, Map<String, Object> details) {

    public WorkloadResult {
        details = details == null ? Map.of() : new LinkedHashMap<>(details);
    }
}
