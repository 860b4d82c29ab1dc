package org.treatmentledger.api;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response check of Http (ApiContract) on a small document: it passes what the document says and catches the rest. */
class ApiContractTest {

    private static final String DOCUMENT = """
            {"openapi":"3.0.1","info":{"title":"t","version":"1"},"paths":{
              "/api/things":{"post":{"responses":{
                "201":{"description":"created","headers":{"Location":{"required":true,"schema":{"type":"string"}}},
                  "content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}},
                "503":{"description":"down","headers":{"Retry-After":{"required":true,"schema":{"type":"integer"}}},
                  "content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}}}},
             "components":{"schemas":{
               "Thing":{"type":"object","required":["id"],"properties":{"id":{"type":"string"}}},
               "Problem":{"type":"object","required":["type","title","status"],"properties":{
                 "type":{"type":"string"},"title":{"type":"string"},"status":{"type":"integer"},
                 "instance":{"type":"string","format":"uri-reference"}}}}}}""";

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"),
            "Location", List.of("/api/things/1"));
    private static final Map<String, List<String>> PROBLEM = Map.of("Content-Type", List.of("application/problem+json"),
            "retry-after", List.of("5")); // header names in any case

    private final ApiContract contract = new ApiContract(DOCUMENT);

    @Test
    void aResponseAsDocumentedPasses() {
        assertThat(contract.violations("POST", "/api/things", 201, JSON, "{\"id\":\"1\"}")).isEmpty();
        assertThat(contract.violations("POST", "/api/things", 503, PROBLEM,
                "{\"type\":\"about:blank\",\"title\":\"Down\",\"status\":503,\"instance\":\"/api/things\"}")).isEmpty();
    }

    @Test
    void anUndocumentedStatusIsCaught() {
        // The defect this hook exists for: a document that lists 200 where the service answers 201, or the reverse.
        assertThat(contract.violations("POST", "/api/things", 200, JSON, "{\"id\":\"1\"}"))
                .singleElement().asString().contains("validation.response.status.unknown");
        assertThatThrownBy(() -> contract.check("POST", "/api/things", 200, JSON, "{\"id\":\"1\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("POST /api/things (200)");
    }

    @Test
    void aBodyOutsideItsSchemaIsCaught() {
        assertThat(contract.violations("POST", "/api/things", 201, JSON, "{}")).isNotEmpty();
        assertThat(contract.violations("POST", "/api/things", 201, JSON, "{\"id\":\"1\",\"undocumented\":true}"))
                .singleElement().asString().contains("undocumented");
        assertThat(contract.violations("POST", "/api/things", 201, Map.of("Content-Type", List.of("text/html"),
                "Location", List.of("/x")), "<html></html>")).singleElement().asString().contains("validation.response.contentType.notAllowed");
    }

    @Test
    void aMissingRequiredHeaderIsCaught() {
        assertThat(contract.violations("POST", "/api/things", 201, Map.of("Content-Type", List.of("application/json")),
                "{\"id\":\"1\"}")).singleElement().asString().contains("Location");
        assertThat(contract.violations("POST", "/api/things", 503, Map.of("Content-Type", List.of("application/problem+json")),
                "{\"type\":\"about:blank\",\"title\":\"Down\",\"status\":503}")).singleElement().asString().contains("Retry-After");
    }

    @Test
    void outsideTheDocumentOnlyAProblemPasses() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}";
        assertThat(contract.violations("GET", "/api/nothing", 404, PROBLEM, problem)).isEmpty();
        assertThat(contract.violations("DELETE", "/api/things", 405, PROBLEM, problem)).isEmpty();
        assertThat(contract.violations("GET", "/api/nothing", 404, Map.of("Content-Type", List.of("text/html")),
                "<html>Tomcat</html>")).singleElement().asString().contains("text/html");
        assertThat(contract.violations("GET", "/api/nothing", 404, PROBLEM, "{\"status\":404,\"trace\":\"x\"}"))
                .isNotEmpty();
        assertThat(contract.violations("GET", "/api/nothing", 200, PROBLEM, problem)).isNotEmpty();
    }
}
