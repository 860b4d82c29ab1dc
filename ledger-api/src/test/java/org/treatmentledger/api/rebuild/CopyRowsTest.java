package org.treatmentledger.api.rebuild;

import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.projections.store.CopyRows;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.sql.Timestamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Derived rows are written with COPY's text format: every value must arrive exactly as given. */
class CopyRowsTest extends LedgerTestSupport {

    @Autowired PlatformTransactionManager transactions;

    @Test
    void values_arrive_exactly_including_escapes_nulls_and_instants() {
        String awkward = "tab\there, new\nline, cr\r, back\\slash \\N, \"quoted\", ünïcødé ✓, end\\";
        Instant precise = Instant.parse("2026-03-04T05:06:07.123456Z");
        List<Object[]> rows = List.of(
                new Object[] {awkward, 7, true, new BigDecimal("12.50"), precise, "{\"a\": \"x\\\\y\\n\"}"},
                new Object[] {null, null, null, null, null, null},
                new Object[] {"\\N", -1, false, BigDecimal.ZERO, Instant.EPOCH, "[]"});
        List<Map<String, Object>> read = new TransactionTemplate(transactions).execute(tx -> {
            jdbc.execute("CREATE TEMP TABLE copy_rows_test (t TEXT, i INT, b BOOLEAN, d NUMERIC, at TIMESTAMPTZ, j JSONB) "
                    + "ON COMMIT DROP");
            CopyRows copy = new CopyRows();
            rows.forEach(copy::add);
            assertThat(copy.copyInto(jdbc, "copy_rows_test", List.of("t", "i", "b", "d", "at", "j"))).isEqualTo(3);
            return jdbc.queryForList("SELECT t, i, b, d, extract(epoch FROM at)::numeric AS epoch, j::text AS j "
                    + "FROM copy_rows_test ORDER BY i NULLS LAST");
        });

        assertThat(read).hasSize(3);
        Map<String, Object> minusOne = read.get(0);
        assertThat(minusOne.get("t")).isEqualTo("\\N"); // the text, not a null
        assertThat(minusOne.get("b")).isEqualTo(false);
        assertThat(new BigDecimal(minusOne.get("epoch").toString())).isEqualByComparingTo("0");
        Map<String, Object> seven = read.get(1);
        assertThat(seven.get("t")).isEqualTo(awkward);
        assertThat(seven.get("b")).isEqualTo(true);
        assertThat((BigDecimal) seven.get("d")).isEqualByComparingTo("12.50");
        assertThat(new BigDecimal(seven.get("epoch").toString())).isEqualByComparingTo("1772600767.123456");
        assertThat(seven.get("j")).isEqualTo("{\"a\": \"x\\\\y\\n\"}");
        assertThat(read.get(2).values()).containsOnlyNulls();
    }

    @Test
    void a_value_without_a_known_text_form_is_refused() {
        assertThatThrownBy(() -> new CopyRows().add(new Object[] {new Timestamp(0)}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.sql.Timestamp");
    }
}
