package org.treatmentledger.api;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.atlassian.oai.validator.util.OpenApiLoader;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The served OpenAPI document as a contract every test response must keep, checked by an independent validator
 * (Atlassian's swagger-request-validator): status documented for the operation, content type, body schema (with
 * {@code additionalProperties: false} implied, so an undocumented field is a violation too) and required headers.
 * Requests are not validated: tests send invalid requests on purpose. A response under /api to a path or method
 * the document does not have (an unknown path, a 405) must still be a documented Problem.
 */
public final class ApiContract {

    private static final Map<Integer, ApiContract> BY_PORT = new ConcurrentHashMap<>();
    private static final Set<String> NO_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");
    private static final String PROBLEM_JSON = "application/problem+json";

    private final OpenApiInteractionValidator validator;
    private final SchemaValidator schemas;
    private final Schema<?> problem;

    public ApiContract(String document) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenApiLoader().loadApi(OpenApiInteractionValidator.SpecSource.inline(document), List.of(),
                options);
        this.schemas = new SchemaValidator(api, new MessageResolver());
        this.problem = new Schema<>().$ref("#/components/schemas/Problem");
    }

    /** One contract per server port, the document fetched and parsed on first use. */
    public static ApiContract forPort(int port, Supplier<String> document) {
        return BY_PORT.computeIfAbsent(port, p -> new ApiContract(document.get()));
    }

    /** Whether responses to this path are described by the document (the API; not actuator or the docs themselves). */
    public static boolean covers(String path) {
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The violations of this response, empty when it keeps the contract. {@code path} without the query. */
    public List<String> violations(String method, String path, int status, Map<String, List<String>> headers,
                                   String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (body != null && !body.isEmpty()) response.withBody(body);
        ValidationReport report = validator.validateResponse(path,
                Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), response.build());
        boolean noOperation = report.getMessages().stream().anyMatch(m -> NO_OPERATION.contains(m.getKey()));
        if (noOperation) return problemOutsideTheDocument(status, headers, body);
        return errors(report);
    }

    private List<String> problemOutsideTheDocument(int status, Map<String, List<String>> headers, String body) {
        List<String> violations = new ArrayList<>();
        if (status < 400) violations.add("status " + status + " for a path or method the document does not have");
        String contentType = headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("Content-Type"))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse("");
        if (!contentType.startsWith(PROBLEM_JSON)) {
            violations.add("content type '" + contentType + "' instead of " + PROBLEM_JSON);
            return violations;
        }
        ValidationReport report = schemas.validate(body == null ? "" : body, problem, "response.body");
        violations.addAll(errors(report));
        return violations;
    }

    private static List<String> errors(ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> "[" + m.getKey() + "] " + m.getMessage()
                        + (m.getAdditionalInfo().isEmpty() ? "" : " " + m.getAdditionalInfo()))
                .toList();
    }

    /** Fails (AssertionError) with every violation, naming the request. */
    public void check(String method, String path, int status, Map<String, List<String>> headers, String body) {
        List<String> violations = violations(method, path, status, headers, body);
        if (!violations.isEmpty()) {
            throw new AssertionError("Response to " + method + " " + path + " (" + status
                    + ") breaks the served OpenAPI document:\n" + String.join("\n", violations) + "\nbody: " + body);
        }
    }
}
