package org.treatmentledger.core.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static Path page() {
        // Maven runs the tests in the module's directory; an IDE may run them at the repository's root.
        Path fromModule = Path.of("..", "docs", "clinical-rules.md");
        return Files.exists(fromModule) ? fromModule : Path.of("docs", "clinical-rules.md");
    }
}
