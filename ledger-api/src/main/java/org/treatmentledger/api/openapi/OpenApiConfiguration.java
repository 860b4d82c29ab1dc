package org.treatmentledger.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.DateSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import com.fasterxml.jackson.databind.JsonNode;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.treatmentledger.core.rules.RuleCode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.math.BigDecimal;

/**
 * The OpenAPI document (/v3/api-docs, Swagger UI at /swagger-ui.html): generated from the controllers and
 * request records, whose annotations give the success statuses (201, 202) and their headers; this adds the Problem
 * schemas, the error responses every endpoint can give, the Idempotency-Key header of writes and the security
 * schemes. The HTTP tests validate every response they receive against this document.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String PROBLEM = "Problem";
    static final String INVALID_REQUEST_PROBLEM = "InvalidRequestProblem";
    static final String CODED_PROBLEM = "CodedProblem";
    static final String RETRY_AFTER = "Retry-After";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    static final String PROBLEM_JSON = "application/problem+json";

    static {
        // Free-form JSON (an entry's details, an amend's replacement) is an object, not a shared named schema that
        // would carry one field's description everywhere.
        SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new ObjectSchema());
    }

    @Bean
    OpenAPI ledgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Treatment Ledger API").version("v1")
                        .description("Event-sourced record of neuromodulator injections and laser sessions. "
                                + "Writes answer 201; timing refusals answer 409 with the rule code and earliest allowed "
                                + "date; integrity refusals 422. Every error, including those the web server raises "
                                + "before the application (malformed or encoded-slash URIs, 405, 406, 413, 415), is "
                                + "application/problem+json. Authentication: HTTP Basic with the demo users injector, "
                                + "clinician, auditor, analyst while no JWT issuer is configured; bearer JWT once one is. Failed password "
                                + "sign-ins lock the account or client address for a while (429 SIGN_IN_LOCKED).")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                // Relative: the document describes whichever host serves it.
                .servers(List.of(new Server().url("/").description("This server")))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("Demo users (injector, clinician, auditor, analyst; password "
                                        + "ledger.security.demo-password), active only while no JWT issuer is configured"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT").description("Production: a JWT of the configured issuer; roles from "
                                        + "the claim ledger.security.roles-claim")))
                .addSecurityItem(new SecurityRequirement().addList("basic"))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getComponents() == null) openApi.setComponents(new Components());
            Components components = openApi.getComponents();
            components.addSchemas(PROBLEM, problemSchema(List.of("type", "title", "status"),
                    "RFC 9457 problem details (application/problem+json)"));
            components.addSchemas(INVALID_REQUEST_PROBLEM, problemSchema(List.of("type", "title", "status", "errors"),
                    "A 400 problem: `errors` names every field (or header, or the path) at fault"));
            components.addSchemas(CODED_PROBLEM, problemSchema(List.of("type", "title", "status", "code"),
                    "A problem with its machine-readable `code`"));
            components.addHeaders(RETRY_AFTER, new Header().description("Seconds to wait before retrying")
                    .schema(new IntegerSchema().minimum(BigDecimal.ZERO)));
            components.addHeaders(IDEMPOTENT_REPLAYED, new Header()
                    .description("`true` when this is the stored response of an earlier request with the same Idempotency-Key: nothing new was recorded")
                    .schema(new StringSchema()._enum(List.of("true"))));
            addResponses(openApi);
        };
    }

    private static void addResponses(OpenAPI openApi) {
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            boolean write = method == PathItem.HttpMethod.POST;
            if (write) {
                op.addParametersItem(new HeaderParameter()
                        .name("Idempotency-Key").required(false).schema(new StringSchema().minLength(1).maxLength(255))
                        .description("Repeat-safe key: the same key with the same body returns the first response "
                                + "(header Idempotent-Replayed: true) and records nothing new; the same key with a "
                                + "different body answers 422 IDEMPOTENCY_KEY_REUSED. Durable across restarts."));
            }
            errors(write, op.getRequestBody() != null).forEach((code, error) -> {
                if (op.getResponses().containsKey(code)) return;
                ApiResponse response = new ApiResponse().description(error.description())
                        .content(new Content().addMediaType(PROBLEM_JSON,
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + error.schema()))));
                error.headers().forEach((name, required) -> response.addHeaderObject(name, header(name, required)));
                op.getResponses().addApiResponse(code, response);
            });
            if (write) replayable(op);
        }));
    }

    /** A write's stored outcomes (below 500, after authentication and the body limit) may be replays. */
    private static void replayable(Operation op) {
        op.getResponses().forEach((code, response) -> {
            int status = Integer.parseInt(code);
            if (status < 500 && status != 401 && status != 413 && status != 429) {
                response.addHeaderObject(IDEMPOTENT_REPLAYED, header(IDEMPOTENT_REPLAYED, false));
            }
        });
    }

    private static Header header(String name, boolean required) {
        Header header = new Header().$ref("#/components/headers/" + name);
        // A $ref header takes no siblings in OpenAPI 3.0, so a required one is written out in full.
        if (!required) return header;
        return new Header().required(true).description(switch (name) {
            case RETRY_AFTER -> "Seconds to wait before retrying";
            case WWW_AUTHENTICATE -> "The authentication scheme to use: Basic (demo users) or Bearer (JWT)";
            default -> name;
        }).schema(name.equals(RETRY_AFTER) ? new IntegerSchema().minimum(BigDecimal.ZERO) : new StringSchema());
    }

    private record Error(String description, String schema, Map<String, Boolean> headers) {
        Error(String description, String schema) {
            this(description, schema, Map.of());
        }
    }

    private static Map<String, Error> errors(boolean write, boolean hasBody) {
        Map<String, Error> errors = new LinkedHashMap<>();
        String refusedUri = "a URI the server refuses (malformed escape, encoded slash, path traversal): "
                + "`errors: [{field, message}]`";
        errors.put("400", new Error(hasBody
                ? "Malformed JSON, wrong type, unknown enum value or unknown field, missing required field, invalid "
                + "Idempotency-Key, or " + refusedUri
                : write ? "Invalid Idempotency-Key, or " + refusedUri
                : "Invalid parameter, or " + refusedUri, INVALID_REQUEST_PROBLEM));
        errors.put("401", new Error("Not authenticated (no or wrong credentials)", PROBLEM, Map.of(WWW_AUTHENTICATE, true)));
        errors.put("403", new Error(write
                ? "Not allowed for the caller's role (e.g. an override or a correction by an INJECTOR)"
                : "Not allowed for the caller's role", PROBLEM));
        errors.put("404", new Error("Not found: an unknown patient, entry or read model (`code` PATIENT_NOT_FOUND, "
                + "ENTRY_NOT_FOUND, READ_MODEL_NOT_FOUND), or no such resource", PROBLEM));
        errors.put("406", new Error("The Accept header admits neither application/json nor application/problem+json", PROBLEM));
        if (write) {
            errors.put("409", new Error("Refused by a timing rule: `code` (e.g. LASER_AFTER_TOXIN_LIGHT), `detail`, "
                    + "`earliestAllowed`, `overridable`, `violations`; or a conflict with the ledger's state "
                    + "(PATIENT_ALREADY_REGISTERED, ENTRY_ALREADY_VOIDED, SIDE_EFFECT_ALREADY_RESOLVED, DUPLICATE_ENTRY_ID, "
                    + "CONCURRENT_MODIFICATION with Retry-After, IDEMPOTENCY_KEY_IN_PROGRESS, REBUILD_PENDING). "
                    + "Nothing was recorded.", CODED_PROBLEM, Map.of(RETRY_AFTER, false)));
            errors.put("413", new Error("The body is larger than the configured maximum (ledger.http.max-body-size). "
                    + "Nothing was recorded.", PROBLEM));
            if (hasBody) {
                errors.put("415", new Error("The body is not application/json", PROBLEM));
            }
            errors.put("422", new Error("Well-formed but invalid: `code` EXPIRED_LOT, FUTURE_EVENT, BEFORE_REGISTRATION, "
                    + "INVALID_UNITS, NOT_CORRECTABLE, AMEND_TYPE_MISMATCH, RESOLUTION_BEFORE_ONSET, "
                    + "IDEMPOTENCY_KEY_REUSED. Nothing was recorded.", CODED_PROBLEM));
        }
        errors.put("429", new Error("Too many failed sign-ins for the account or from the client address: sign-in is "
                + "locked (`code` SIGN_IN_LOCKED) for Retry-After seconds, a correct password too. Nothing was recorded.",
                CODED_PROBLEM, Map.of(RETRY_AFTER, true)));
        errors.put("500", new Error("Unexpected internal error (no details)", PROBLEM));
        errors.put("503", new Error(write
                ? "The command/query infrastructure (Axon Server, database) is unreachable (`code` LEDGER_UNAVAILABLE); "
                + "retry later"
                : "The command/query infrastructure is unreachable (LEDGER_UNAVAILABLE), or the patient is recorded but "
                + "the read models have not caught up with it yet (READ_MODEL_BEHIND: just registered, or a rebuild); "
                + "retry later", CODED_PROBLEM, Map.of(RETRY_AFTER, true)));
        return errors;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema(List<String> required, String description) {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema()
                .description("JSON path of the field (e.g. sites[0].units), the header's name, or `path` for the URI"));
        fieldError.addProperty("message", new StringSchema());
        fieldError.required(List.of("field", "message"));
        ObjectSchema violation = new ObjectSchema();
        violation.addProperty("code", new StringSchema()._enum(Arrays.stream(RuleCode.values()).map(Enum::name).toList()));
        violation.addProperty("detail", new StringSchema());
        violation.addProperty("earliestAllowed", new DateSchema());
        violation.addProperty("subjectEntryId", new StringSchema());
        violation.addProperty("causeEntryId", new StringSchema());
        violation.required(List.of("code"));
        Schema problem = new ObjectSchema().description(description);
        problem.addProperty("type", new StringSchema().format("uri")
                .description("Identifies the problem type (https://treatmentledger.org/problems/..., or about:blank)"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema().minimum(BigDecimal.valueOf(400))
                .maximum(BigDecimal.valueOf(599)));
        problem.addProperty("detail", new StringSchema().description("A sentence a clinician understands"));
        problem.addProperty("instance", new StringSchema().format("uri-reference")
                .description("The request's path (a relative reference), when known"));
        problem.addProperty("code", new StringSchema().description("Rule code (RuleCode) or service code: "
                + "PATIENT_NOT_FOUND, ENTRY_NOT_FOUND, READ_MODEL_NOT_FOUND, PATIENT_ALREADY_REGISTERED, "
                + "CONCURRENT_MODIFICATION, IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS, REBUILD_PENDING, "
                + "LEDGER_UNAVAILABLE, READ_MODEL_BEHIND, SIGN_IN_LOCKED"));
        problem.addProperty("earliestAllowed", new DateSchema()
                .description("The first date the refused command would be allowed, when one exists"));
        problem.addProperty("overridable", new BooleanSchema().description("Whether a CLINICIAN may override the refusal"));
        problem.addProperty("retryable", new BooleanSchema()
                .description("CONCURRENT_MODIFICATION: nothing was recorded, the same request may be sent again"));
        problem.addProperty("violations", new ArraySchema().items(violation).description("Every rule the command broke"));
        problem.addProperty("errors", new ArraySchema().items(fieldError).description("400: the fields at fault"));
        problem.required(required);
        return problem;
    }
}
