package org.treatmentledger.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    private static BenchReport sample() {
        BenchReport report = new BenchReport("quick");
        report.machine().put("cores", 2);
        report.sizes().put("w3Events", 100_000);
        report.add(Targets.w1Throughput(1, 400.0, 150.0, 1000.0, Map.of("oursP50Ms", 2.1)));
        report.add(Targets.w1Throughput(8, 900.0, 300.0, 2000.0, Map.of()));
        report.add(Targets.w3Rebuild(30_000, 100_000, Map.of()));
        report.add(Targets.rss("W1", 700, Map.of()));
        return report;
    }

    @Test
    void jsonHasTopLevelWorkloadsWithEveryField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("target/bench-results.json");
        sample().writeJson(file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());

        assertThat(root.get("workloads").isArray()).isTrue();
        assertThat(root.get("workloads")).hasSize(4);
        for (JsonNode row : root.get("workloads")) {
            for (String field : BenchReport.ROW_FIELDS) {
                assertThat(row.has(field)).as("row has %s", field).isTrue();
            }
        }
        assertThat(root.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(root.get("sizes").get("w3Events").asInt()).isEqualTo(100_000);
    }

    @Test
    void jsonKeepsNullsAndTypes() {
        JsonNode rows = sample().toJson().get("workloads");
        JsonNode single = rows.get(0);
        assertThat(single.get("name").asText()).isEqualTo("W1");
        assertThat(single.get("clients").asInt()).isEqualTo(1);
        assertThat(single.get("ratioToLimit").asDouble()).isEqualTo(0.4);
        assertThat(single.get("met").isBoolean()).isTrue();
        assertThat(single.get("met").asBoolean()).isFalse();
        assertThat(single.get("details").get("oursP50Ms").asDouble()).isEqualTo(2.1);

        JsonNode rebuild = rows.get(2);
        assertThat(rebuild.get("clients").isNull()).isTrue();
        assertThat(rebuild.get("peer").isNull()).isTrue();
        assertThat(rebuild.get("ratioToPeer").isNull()).isTrue();
        assertThat(rebuild.get("met").asBoolean()).isTrue();

        assertThat(rows.get(1).get("met").isNull()).as("no target at 8 clients").isTrue();
        assertThat(rows.get(3).get("name").asText()).isEqualTo("memory");
    }

    @Test
    void aRowWithoutATargetPrintsAsReported() {
        String table = ResultTable.format(java.util.List.of(new WorkloadResult("CRYPTO", 1, "write per event", "us",
                2.5, null, 1.2, 2.0, null, null, null, "reported", java.util.Map.of())));
        assertThat(table).contains("CRYPTO").contains("none (reported)");
    }

    @Test
    void tableHasHeaderRuleAndOneLinePerRow() {
        String table = sample().toTable();
        String[] lines = table.split("\n");
        assertThat(lines).hasSize(2 + 4);
        assertThat(lines[0]).startsWith("workload").contains("ours", "peer", "limit", "x limit", "x peer", "met", "target");
        assertThat(lines[1]).matches("[-+]+");
        assertThat(lines[2]).startsWith("W1").contains("400.0", "150.0", "1,000", "0.40x", "2.67x", "NO");
        assertThat(lines[3]).contains(" - ").doesNotContain("NO").doesNotContain("yes");
        assertThat(lines[4]).contains("30,000", "100,000", "0.30x", "yes");
        for (String line : lines) assertThat(line).doesNotEndWith(" ");
    }

    @Test
    void columnsLineUp() {
        String[] lines = sample().toTable().split("\n");
        int bar = lines[0].indexOf(" | ");
        for (String line : lines) {
            if (line.startsWith("-")) continue;
            assertThat(line.indexOf(" | ")).isEqualTo(bar);
        }
    }

    @Test
    void numbersAreFormattedForReading() {
        assertThat(ResultTable.number(12345.6)).isEqualTo("12,346");
        assertThat(ResultTable.number(123.44)).isEqualTo("123.4");
        assertThat(ResultTable.number(12.344)).isEqualTo("12.34");
        assertThat(ResultTable.number(1.2344)).isEqualTo("1.234");
        assertThat(ResultTable.number(null)).isEqualTo("-");
        assertThat(ResultTable.ratio(0.5)).isEqualTo("0.50x");
    }
}
