package org.treatmentledger.api.fhir;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.List;

/**
 * The FHIR shapes in the OpenAPI document: a Bundle's envelope, and its resources as open objects (FHIR R4 defines
 * them; docs/FHIR.md says which the ledger writes and how). HAPI's validator, not this schema, is their check.
 */
@Configuration(proxyBeanMethods = false)
public class FhirOpenApi {

    static final String BUNDLE = "#/components/schemas/FhirBundle";

    @Bean
    OpenApiCustomizer fhirSchemas() {
        return openApi -> {
            if (openApi.getComponents() == null) openApi.setComponents(new Components());
            Schema<?> resource = new ObjectSchema()
                    .description("A FHIR R4 resource (http://hl7.org/fhir/R4/), as docs/FHIR.md maps the ledger to it")
                    .addProperty("resourceType", new StringSchema().example("MedicationAdministration"))
                    .addProperty("id", new StringSchema())
                    .additionalProperties(true);
            resource.setRequired(List.of("resourceType"));
            Schema<?> entry = new ObjectSchema()
                    .addProperty("fullUrl", new StringSchema().format("uri")
                            .description("https://treatmentledger.org/fhir/{resourceType}/{id}: the base only names the ledger; "
                                    + "references inside the bundle are relative to it"))
                    .addProperty("resource", new Schema<>().$ref("#/components/schemas/FhirResource"))
                    .addProperty("search", new ObjectSchema().addProperty("mode", new StringSchema()._enum(List.of("match")))
                            .description("In a searchset (access records): every entry is a match"));
            entry.setRequired(List.of("fullUrl", "resource"));
            Schema<?> identifier = new ObjectSchema().additionalProperties(true);
            Schema<?> link = new ObjectSchema()
                    .addProperty("relation", new StringSchema().example("next"))
                    .addProperty("url", new StringSchema().description("The next page (access records), relative to the service"));
            link.setRequired(List.of("relation", "url"));
            Schema<?> bundle = new ObjectSchema()
                    .description("A FHIR R4 Bundle: of type collection, one patient's ledger; of type searchset, a page of "
                            + "access records as AuditEvents (docs/FHIR.md)")
                    .addProperty("resourceType", new StringSchema()._enum(List.of("Bundle")))
                    .addProperty("identifier", identifier)
                    .addProperty("type", new StringSchema()._enum(List.of("collection", "searchset")))
                    .addProperty("timestamp", new StringSchema().format("date-time")
                            .description("When the bundle was assembled"))
                    .addProperty("link", new ArraySchema().items(link))
                    .addProperty("entry", new ArraySchema().items(entry));
            bundle.setRequired(List.of("resourceType", "type", "entry"));
            openApi.getComponents().addSchemas("FhirResource", resource);
            openApi.getComponents().addSchemas("FhirBundle", bundle);
        };
    }
}
