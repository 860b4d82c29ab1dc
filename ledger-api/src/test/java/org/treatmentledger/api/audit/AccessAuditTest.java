package org.treatmentledger.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access audit over every operation of the served OpenAPI document that touches one patient: each request,
 * allowed or refused (403 for the role, 404 for another clinic), leaves exactly one record with its action and
 * status, committed before the response arrived (read at once, no waiting). The access-log endpoints answer it
 * newest first, a page at a time, for the caller's clinics only; the table refuses UPDATE, DELETE and TRUNCATE.
 */
class AccessAuditTest extends LedgerTestSupport {

    record Operation(String method, String path) {
        @Override
        public String toString() { return method + " " + path; }
    }

    private List<Operation> patientOperations() {
        JsonNode doc = http.get(null, "/v3/api-docs").json();
        List<Operation> operations = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            boolean http = Set.of("get", "post", "put", "patch", "delete").contains(method);
            if (http && (path.getKey().contains("{patientId}")
                    || (path.getKey().equals("/api/patients") && method.equals("post")))) {
                operations.add(new Operation(method.toUpperCase(), path.getKey()));
            }
        }));
        return operations;
    }

    /** The contract's actions, from the operation alone. */
    private static String expectedAction(Operation op) {
        if (op.method().equals("DELETE") || op.path().endsWith("/erasure")) return "ERASE";
        if (op.path().endsWith("/evidence") || op.path().contains("/fhir")) return "EXPORT";
        if (op.method().equals("GET")) return "READ";
        if (op.path().endsWith("/corrections")) return "CORRECT";
        return "CREATE";
    }

    @Test
    void everyRequestOnOnePatientLeavesExactlyOneRecord() {
        String patient = registerPatient(daysAgo(100));
        List<Operation> operations = patientOperations();
        assertThat(operations).hasSizeGreaterThan(12);
        for (Operation op : operations) {
            // Allowed for the role or not (403), own clinic or another (404), as each demo user.
            for (String user : List.of("clinician", "injector", "auditor", "analyst", "clinician2")) {
                long before = lastRecord();
                String path = op.path().replace("{patientId}", patient).replace("{sideEffectId}", "se-x");
                String body = op.method().equals("POST")
                        ? (op.path().equals("/api/patients") ? "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\"}" : "{}") : null;
                Http.Response r = http.send(user, op.method(), path, body, Map.of());
                List<Map<String, Object>> records = jdbc.queryForList("SELECT user_name, role, action, resource, status, "
                        + "patient_id, clinic_id, purpose FROM access_log WHERE id > ?", before);
                String what = op + " as " + user + " (" + r.status() + ")";
                assertThat(records).as(what).hasSize(1);
                Map<String, Object> record = records.get(0);
                assertThat(record.get("action")).as(what).isEqualTo(expectedAction(op));
                assertThat(record.get("status")).as(what).isEqualTo(r.status());
                assertThat(record.get("user_name")).as(what).isEqualTo(user);
                assertThat(record.get("purpose")).as(what).isEqualTo("TREATMENT");
                assertThat((String) record.get("resource")).as(what).isEqualTo(op.method() + " " + path);
                if (op.path().contains("{patientId}")) {
                    assertThat(record.get("patient_id")).as(what).isEqualTo(patient);
                    assertThat(record.get("clinic_id")).as(what).isEqualTo("clinic-1");
                } else if (r.status() == 201) {
                    assertThat(record.get("patient_id")).as(what).isEqualTo(r.text("patientId"));
                }
            }
        }
    }

    @Test
    void purposeOfUseIsRecordedAndAnUnknownOneRefused() {
        String patient = registerPatient(daysAgo(100));
        long before = lastRecord();
        Http.Response legal = http.send("auditor", "GET", "/api/patients/" + patient + "/history", null,
                Map.of("Purpose-Of-Use", "LEGAL"));
        assertThat(legal.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT purpose FROM access_log WHERE id > ?", String.class, before)).isEqualTo("LEGAL");

        before = lastRecord();
        Http.Response unknown = http.send("auditor", "GET", "/api/patients/" + patient + "/history", null,
                Map.of("Purpose-Of-Use", "CURIOSITY"));
        assertProblem(unknown, 400);
        assertThat(unknown.json().get("errors").get(0).get("field").asText()).isEqualTo("Purpose-Of-Use");
        assertThat(lastRecord()).as("a request refused for its purpose ran nothing").isEqualTo(before);
    }

    @Test
    void theAccessLogsAnswerNewestFirstPagedAndForTheCallersClinicsOnly() {
        String patient = registerPatient(daysAgo(100));
        http.get("clinician", "/api/patients/" + patient + "/schedule");
        http.get("clinician2", "/api/patients/" + patient + "/history"); // another clinic: 404, recorded
        http.get("auditor", "/api/patients/" + patient + "/units");

        JsonNode log = http.get("auditor", "/api/patients/" + patient + "/access-log").json();
        List<String> users = new ArrayList<>();
        log.get("entries").forEach(e -> users.add(e.get("user").asText() + " " + e.get("status").asInt()));
        assertThat(users).containsExactly("auditor 200", "clinician2 404", "clinician 200", "injector 201");
        JsonNode first = log.get("entries").get(0);
        assertThat(first.get("action").asText()).isEqualTo("READ");
        assertThat(first.get("role").asText()).isEqualTo("AUDITOR");
        assertThat(first.get("resource").asText()).isEqualTo("GET /api/patients/" + patient + "/units");
        assertThat(first.get("purpose").asText()).isEqualTo("TREATMENT");

        // Paging: one entry a page, following next. The read of the log above is now the newest; each page's own
        // record is written after it answered, and is newer than the cursor.
        List<String> paged = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = http.get("auditor", "/api/patients/" + patient + "/access-log?limit=1"
                    + (next == null ? "" : "&before=" + next)).json();
            assertThat(page.get("entries")).hasSizeLessThanOrEqualTo(1);
            page.get("entries").forEach(e -> paged.add(e.get("user").asText() + " " + e.get("status").asInt()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
        } while (next != null);
        assertThat(paged).hasSize(5).endsWith("auditor 200", "clinician2 404", "clinician 200", "injector 201");

        // Another clinic's auditor: the patient is unknown to it; across its clinics it sees its own users' probes
        // only (its own 404 just now, and clinician2's), none of clinic-1's reads.
        assertProblem(http.get("auditor2", "/api/patients/" + patient + "/access-log"), 404);
        JsonNode theirs = http.get("auditor2", "/api/audit/access?patientId=" + patient).json().get("entries");
        List<String> seen = new ArrayList<>();
        theirs.forEach(e -> seen.add(e.get("user").asText() + " " + e.get("patientId").asText()));
        assertThat(seen).containsExactly("auditor2 " + patient, "clinician2 " + patient);
        JsonNode ours = http.get("auditor", "/api/audit/access?user=clinician&patientId=" + patient).json().get("entries");
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).get("patientId").asText()).isEqualTo(patient);
        assertThat(http.get("auditor", "/api/audit/access?patientId=" + patient + "&from=2999-01-01T00:00:00Z")
                .json().get("entries")).isEmpty();
        assertProblem(http.get("auditor", "/api/audit/access?limit=0"), 400);
        assertProblem(http.get("clinician", "/api/audit/access"), 403);
    }

    @Test
    void theAccessLogOnlyGrows() {
        registerPatient(daysAgo(10));
        assertThat(lastRecord()).as("a row to change (row triggers fire only on rows)").isPositive();
        for (String sql : new String[]{"UPDATE access_log SET status = 200", "DELETE FROM access_log",
                "TRUNCATE access_log"}) {
            assertThatThrownBy(() -> jdbc.execute(sql)).as(sql).rootCause().hasMessageContaining("only grows");
        }
    }

    private long lastRecord() {
        Long id = jdbc.queryForObject("SELECT coalesce(max(id), 0) FROM access_log", Long.class);
        return id == null ? 0 : id;
    }

}
