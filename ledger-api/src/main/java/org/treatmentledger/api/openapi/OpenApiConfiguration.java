package org.treatmentledger.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.DateSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.treatmentledger.core.rules.RuleCode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OpenAPI document (/v3/api-docs, Swagger UI at /swagger-ui.html): generated from the controllers and
 * request records; this adds the Problem schema and the error responses every endpoint can give.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI ledgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Treatment Ledger API").version("v1")
                        .description("Event-sourced record of neuromodulator injections and laser sessions. "
                                + "Timing refusals answer 409 with the rule code and earliest allowed date; integrity "
                                + "refusals 422. Errors are application/problem+json. Demo users (HTTP Basic): injector, "
                                + "clinician, auditor, analyst.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("basic"))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getComponents() == null) openApi.setComponents(new Components());
            openApi.getComponents().addSchemas("Problem", problemSchema());
            addErrors(openApi);
        };
    }

    private static void addErrors(OpenAPI openApi) {
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            boolean write = method == io.swagger.v3.oas.models.PathItem.HttpMethod.POST;
            if (write) {
                op.addParametersItem(new io.swagger.v3.oas.models.parameters.HeaderParameter()
                        .name("Idempotency-Key").required(false).schema(new StringSchema().maxLength(255))
                        .description("Repeat-safe key: the same key with the same body returns the first response "
                                + "(header Idempotent-Replayed: true) and records nothing new; the same key with a "
                                + "different body answers 422 IDEMPOTENCY_KEY_REUSED. Durable across restarts."));
            }
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put("400", write ? "Malformed JSON, wrong type, unknown enum value or unknown field, missing required field: `errors: [{field, message}]`"
                    : "Invalid parameter: `errors: [{field, message}]`");
            errors.put("401", "Not authenticated");
            errors.put("403", write ? "Not allowed for the caller's role (e.g. an override or a correction by an INJECTOR)" : "Not allowed for the caller's role");
            errors.put("404", "Unknown patient or entry (`code` PATIENT_NOT_FOUND, ENTRY_NOT_FOUND)");
            if (write) {
                errors.put("409", "Refused by a timing rule: `code` (e.g. LASER_AFTER_TOXIN_LIGHT), `detail`, `earliestAllowed`, `violations`; "
                        + "or a ledger state conflict (PATIENT_ALREADY_REGISTERED, ENTRY_ALREADY_VOIDED, SIDE_EFFECT_ALREADY_RESOLVED, DUPLICATE_ENTRY_ID, IDEMPOTENCY_KEY_IN_PROGRESS). Nothing was recorded.");
                errors.put("422", "Well-formed but invalid: `code` EXPIRED_LOT, FUTURE_EVENT, BEFORE_REGISTRATION, INVALID_UNITS, NOT_CORRECTABLE, "
                        + "AMEND_TYPE_MISMATCH, RESOLUTION_BEFORE_ONSET, IDEMPOTENCY_KEY_REUSED. Nothing was recorded.");
            }
            errors.put("503", write ? "The command/query infrastructure (Axon Server, database) is unreachable; retry later (Retry-After)"
                    : "The command/query infrastructure is unreachable (LEDGER_UNAVAILABLE), or the patient is recorded but the "
                    + "read models have not caught up with it yet (READ_MODEL_BEHIND: just registered, or a rebuild); retry later (Retry-After)");
            errors.put("500", "Unexpected internal error (no details)");
            errors.forEach((code, description) -> {
                if (op.getResponses().containsKey(code)) return;
                op.getResponses().addApiResponse(code, new ApiResponse().description(description)
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
            });
        }));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema().description("JSON path of the field, e.g. sites[0].units"));
        fieldError.addProperty("message", new StringSchema());
        ObjectSchema violation = new ObjectSchema();
        violation.addProperty("code", new StringSchema()._enum(Arrays.stream(RuleCode.values()).map(Enum::name).toList()));
        violation.addProperty("detail", new StringSchema());
        violation.addProperty("earliestAllowed", new DateSchema());
        violation.addProperty("subjectEntryId", new StringSchema());
        violation.addProperty("causeEntryId", new StringSchema());
        Schema problem = new ObjectSchema().description("RFC 9457 problem details (application/problem+json)");
        problem.addProperty("type", new StringSchema().format("uri"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema());
        problem.addProperty("detail", new StringSchema().description("A sentence a clinician understands"));
        problem.addProperty("instance", new StringSchema().format("uri"));
        problem.addProperty("code", new StringSchema().description("Rule code (RuleCode) or service code: PATIENT_NOT_FOUND, "
                + "IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_KEY_IN_PROGRESS, LEDGER_UNAVAILABLE"));
        problem.addProperty("earliestAllowed", new DateSchema().description("The first date the refused command would be allowed, when one exists"));
        problem.addProperty("overridable", new BooleanSchema().description("Whether a CLINICIAN may override the refusal"));
        problem.addProperty("violations", new ArraySchema().items(violation).description("Every rule the command broke"));
        problem.addProperty("errors", new ArraySchema().items(fieldError).description("400: the fields at fault"));
        return problem;
    }
}
