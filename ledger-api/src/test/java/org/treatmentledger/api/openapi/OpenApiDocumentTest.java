package org.treatmentledger.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.treatmentledger.api.ApiContract;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served document: written to target/openapi.json for CI's redocly lint, and checked for what a generated
 * client depends on. Every HTTP test validates its responses against it (Http); here the served document is shown
 * to refuse responses the service must not give.
 */
class OpenApiDocumentTest extends LedgerTestSupport {

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    @Test
    void theServedDocumentIsWrittenForTheLinter() throws Exception {
        Http.Response r = http.get(null, "/v3/api-docs");
        assertThat(r.status()).isEqualTo(200);
        Path out = Path.of("target", "openapi.json");
        Files.createDirectories(out.getParent());
        Files.writeString(out, r.json().toPrettyString());

        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode responses = op.getValue().get("responses");
            String where = op.getKey() + " " + path.getKey();
            // The whole-store check is a POST that records nothing: it answers its result with 200.
            if (op.getKey().equals("post") && !path.getKey().equals("/api/admin/ledger/verify")) {
                assertThat(responses.has("200")).as(where).isFalse();
                assertThat(responses.has("201") || responses.has("202")).as(where).isTrue();
                assertThat(responses.has("413")).as(where).isTrue();
            } else if (op.getKey().equals("delete") || path.getKey().endsWith("/$export")) {
                // Asynchronous (FHIR Bulk Data Access): a bulk export's kick-off and its cancellation are accepted.
                assertThat(responses.has("202")).as(where).isTrue();
                assertThat(responses.has("200")).as(where).isFalse();
            } else {
                assertThat(responses.has("200")).as(where).isTrue();
            }
            assertThat(op.getValue().has("summary")).as(where).isTrue();
            assertThat(responses.get("503").get("headers").get("Retry-After").get("required").asBoolean()).as(where).isTrue();
        }));
        assertThat(doc.at("/paths/~1api~1patients/post/responses/201/headers/Location/required").asBoolean()).isTrue();
        assertThat(doc.at("/paths/~1api~1admin~1rebuilds~1{group}/post/responses/202/headers/Location/required")
                .asBoolean()).isTrue();
        assertThat(doc.at("/components/schemas/Problem/properties/instance/format").asText()).isEqualTo("uri-reference");
        assertThat(doc.at("/components/securitySchemes/basic/scheme").asText()).isEqualTo("basic");
        assertThat(doc.at("/components/securitySchemes/bearer/bearerFormat").asText()).isEqualTo("JWT");
    }

    @Test
    void theServedDocumentRefusesWhatTheServiceMustNotAnswer() {
        ApiContract contract = http.contract();
        String created = "{\"patientId\":\"p-1\"}";
        Map<String, List<String>> withLocation = Map.of("Content-Type", List.of("application/json"),
                "Location", List.of("http://localhost/api/patients/p-1"));
        assertThat(contract.violations("POST", "/api/patients", 201, withLocation, created)).isEmpty();
        // What the document used to say and a client generated from it would expect:
        assertThat(contract.violations("POST", "/api/patients", 200, withLocation, created)).isNotEmpty();
        assertThat(contract.violations("POST", "/api/patients", 201, JSON, created))
                .anyMatch(v -> v.contains("Location"));
        assertThat(contract.violations("POST", "/api/patients", 201, withLocation, "{\"patientId\":\"p-1\",\"x\":1}"))
                .isNotEmpty();

        String behind = "{\"type\":\"https://treatmentledger.org/problems/read-model-behind\",\"title\":\"Read model behind\","
                + "\"status\":503,\"detail\":\"d\",\"instance\":\"/api/patients/p-1\",\"code\":\"READ_MODEL_BEHIND\"}";
        Map<String, List<String>> problem = Map.of("Content-Type", List.of("application/problem+json"),
                "Retry-After", List.of("1"));
        assertThat(contract.violations("GET", "/api/patients/p-1", 503, problem, behind)).isEmpty();
        assertThat(contract.violations("GET", "/api/patients/p-1", 503,
                Map.of("Content-Type", List.of("application/problem+json")), behind)).anyMatch(v -> v.contains("Retry-After"));
        assertThat(contract.violations("GET", "/api/patients/p-1", 503, problem, behind.replace(",\"code\":\"READ_MODEL_BEHIND\"", "")))
                .isNotEmpty();
        // A 400 names the fields at fault.
        String invalid = "{\"type\":\"https://treatmentledger.org/problems/invalid-request\",\"title\":\"Invalid request\",\"status\":400}";
        assertThat(contract.violations("POST", "/api/patients", 400,
                Map.of("Content-Type", List.of("application/problem+json")), invalid)).isNotEmpty();
    }
}
