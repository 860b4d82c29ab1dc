package org.treatmentledger.core.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/clinical-rules.md is the rules' description for readers: its tables must name every clinical rule code with
 * its kind, and the default days it states must be the policy's. A code added, renamed or re-defaulted in the code
 * without the page (or the other way round) fails here.
 */
class ClinicalRulesDocumentTest {

    /** A table row: | `CODE` | KIND | what | default | source |. */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z_]+)` \\| ([A-Z_]+) \\|[^|]*\\| ([^|]+) \\|", Pattern.MULTILINE);
    private static final Pattern DAYS = Pattern.compile("(\\d+) days");

    private record Documented(RuleCode.Kind kind, Integer days) { }

    @Test
    void the_rules_page_lists_every_clinical_rule_with_its_kind_and_default_days() throws IOException {
        Map<RuleCode, Documented> documented = new EnumMap<>(RuleCode.class);
        Matcher row = ROW.matcher(Files.readString(page()));
        while (row.find()) {
            Matcher days = DAYS.matcher(row.group(3).trim());
            Documented previous = documented.put(RuleCode.valueOf(row.group(1)), new Documented(
                    RuleCode.Kind.valueOf(row.group(2)), days.matches() ? Integer.valueOf(days.group(1)) : null));
            assertThat(previous).as(row.group(1) + " documented twice").isNull();
        }

        ClinicPolicy defaults = ClinicPolicy.defaults();
        Map<RuleCode, Documented> expected = new EnumMap<>(RuleCode.class);
        for (RuleCode code : RuleCode.values()) {
            if (code.kind() == RuleCode.Kind.TIMING || code.kind() == RuleCode.Kind.INTEGRITY
                    || code.kind() == RuleCode.Kind.ADVISORY) {
                expected.put(code, new Documented(code.kind(), defaults.minimumDays().get(code)));
            }
        }
        assertThat(documented).isEqualTo(expected);
    }

    /** A row of the "where each rule lives" table: | CODE, CODE | definition | guard | schedule |. */
    private static final Pattern WHERE_ROW = Pattern.compile("^\\| ([A-Z_]+(?:, [A-Z_]+)*) \\|(.*)\\|$", Pattern.MULTILINE);
    private static final Pattern CLASS_NAME = Pattern.compile("`([A-Z][A-Za-z]+)`");

    @Test
    void the_where_table_names_every_clinical_code_once_and_only_classes_that_exist() throws IOException {
        String text = Files.readString(page());
        String where = text.substring(text.indexOf("## Where each rule lives in the code"));
        where = where.substring(0, where.indexOf("\n## ", 1));
        Map<RuleCode, Integer> named = new EnumMap<>(RuleCode.class);
        Set<String> classes = new TreeSet<>();
        Matcher row = WHERE_ROW.matcher(where);
        while (row.find()) {
            for (String code : row.group(1).split(", ")) named.merge(RuleCode.valueOf(code), 1, Integer::sum);
            Matcher name = CLASS_NAME.matcher(row.group(2));
            while (name.find()) classes.add(name.group(1));
        }
        Map<RuleCode, Integer> expected = new EnumMap<>(RuleCode.class);
        for (RuleCode code : RuleCode.values()) {
            if (code.kind() == RuleCode.Kind.TIMING || code.kind() == RuleCode.Kind.INTEGRITY
                    || code.kind() == RuleCode.Kind.ADVISORY) {
                expected.put(code, 1);
            }
        }
        assertThat(named).isEqualTo(expected);

        Set<String> sources;
        try (Stream<Path> files = Files.walk(page().toAbsolutePath().getParent().getParent())) {
            sources = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".java"))
                    .map(f -> f.substring(0, f.length() - ".java".length())).collect(Collectors.toSet());
        }
        assertThat(sources).as("classes the table names").containsAll(classes);
        assertThat(classes).contains("LaserWait", "TimingWindows", "TimingRules", "ScheduleCalculator");
    }

    private static Path page() {
        // Maven runs the tests in the module's directory; an IDE may run them at the repository's root.
        Path fromModule = Path.of("..", "docs", "clinical-rules.md");
        return Files.exists(fromModule) ? fromModule : Path.of("docs", "clinical-rules.md");
    }
}
