package org.treatmentledger.api.fhir;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access audit as FHIR R4 AuditEvents shaped after IHE BALP: a patient's log and the clinic-wide records, every
 * resource valid with no error under HAPI's R4 validator (FhirValidation's offline chain), each action mapped to its
 * RESTful interaction, the purpose of use, the user as requesting agent, the patient as entity; the caller's
 * clinics only; paged with a 'next' link.
 */
class AuditEventFhirTest extends LedgerTestSupport {

    private Bundle fhirBundle(Http.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/fhir+json");
        var result = FhirValidation.validate(r.raw());
        assertThat(FhirValidation.errors(result)).as("validation errors").isEmpty();
        assertThat(FhirValidation.networkAttempts()).isEmpty();
        Bundle bundle = FhirValidation.context().newJsonParser().parseResource(Bundle.class, r.raw());
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            assertThat(FhirValidation.errors(FhirValidation.validate(e.getResource()))).as(e.getFullUrl()).isEmpty();
        }
        return bundle;
    }

    private static List<AuditEvent> events(Bundle bundle) {
        List<AuditEvent> events = new ArrayList<>();
        bundle.getEntry().forEach(e -> events.add((AuditEvent) e.getResource()));
        return events;
    }

    private static String subtype(AuditEvent e) {
        return e.getSubtype().get(0).getCode();
    }

    @Test
    void aPatientsAccessLogAsBalpAuditEvents() {
        String patient = registerPatient(daysAgo(100));
        String path = "/api/patients/" + patient;
        assertThat(http.post("injector", path + "/injections", glabella20(daysAgo(50))).status()).isEqualTo(201);
        assertThat(http.get("clinician", path + "/schedule").status()).isEqualTo(200);
        assertThat(http.get("clinician", path + "/history?asOf=" + daysAgo(1)).status()).isEqualTo(200);
        assertProblem(http.get("clinician2", path + "/history"), 404);
        assertThat(http.send("auditor", "GET", path + "/fhir", null, Map.of("Purpose-Of-Use", "LEGAL")).status())
                .isEqualTo(200);

        List<AuditEvent> events = events(fhirBundle(http.get("auditor", path + "/access-log/fhir")));

        // Newest first: export (LEGAL), the other clinic's probe, a query, a read, the injection, the registration.
        assertThat(events).hasSize(6);
        AuditEvent export = events.get(0);
        assertThat(export.getSubtype()).extracting(c -> c.getSystem() + "#" + c.getCode()).containsExactly(
                "http://hl7.org/fhir/restful-interaction#read", "http://dicom.nema.org/resources/ontology/DCM#110106");
        assertThat(export.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(export.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("HLEGAL");
        AuditEvent.AuditEventAgentComponent user = export.getAgentFirstRep();
        assertThat(user.getRequestor()).isTrue();
        assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("auditor");
        assertThat(user.getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("AUDITOR");
        assertThat(user.getPurposeOfUseFirstRep().getCodingFirstRep().getCode()).isEqualTo("HLEGAL");
        AuditEvent.AuditEventEntityComponent entity = export.getEntityFirstRep();
        assertThat(entity.getWhat().getType()).isEqualTo("Patient");
        assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo(patient);
        assertThat(entity.getRole().getCode()).isEqualTo("1");

        AuditEvent probe = events.get(1);
        assertThat(probe.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("clinician2");
        assertThat(probe.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(probe.getOutcomeDesc()).isEqualTo("HTTP 404");

        AuditEvent query = events.get(2);
        assertThat(subtype(query)).isEqualTo("search-type");
        assertThat(query.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(new String(query.getEntity().get(1).getQuery(), StandardCharsets.UTF_8)).startsWith("asOf=");
        assertThat(query.getEntity().get(1).getRole().getCode()).isEqualTo("24");

        assertThat(subtype(events.get(3))).isEqualTo("read");
        assertThat(events.get(3).getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(events.get(3).getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
        assertThat(subtype(events.get(5))).isEqualTo("create");
        assertThat(events.get(5).getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(events.get(5).getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);

        // Paged like the JSON log: two a page, following the 'next' link, same records.
        List<String> paged = new ArrayList<>();
        String next = path + "/access-log/fhir?limit=2";
        int pages = 0;
        while (next != null && pages++ < 10) {
            Bundle page = fhirBundle(http.get("auditor", next));
            assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(2);
            events(page).forEach(e -> paged.add(e.getIdElement().getIdPart()));
            next = page.getLink("next") == null ? null : page.getLink("next").getUrl();
        }
        assertThat(paged).hasSizeGreaterThanOrEqualTo(7); // the records above, and the first export's own
    }

    @Test
    void theClinicWideExportShowsTheCallersClinicsOnly() {
        String patient = registerPatient(daysAgo(100));
        assertThat(http.get("clinician", "/api/patients/" + patient + "/schedule").status()).isEqualTo(200);
        assertProblem(http.get("clinician2", "/api/patients/" + patient + "/schedule"), 404);

        List<String> ours = new ArrayList<>();
        events(fhirBundle(http.get("auditor", "/api/audit/access/fhir?patientId=" + patient)))
                .forEach(e -> ours.add(e.getAgentFirstRep().getWho().getIdentifier().getValue()));
        assertThat(ours).containsExactly("clinician2", "clinician", "injector");
        // Clinic-2's auditor sees its own user's probe only, never clinic-1's reads of its patient.
        List<String> theirs = new ArrayList<>();
        events(fhirBundle(http.get("auditor2", "/api/audit/access/fhir?patientId=" + patient)))
                .forEach(e -> theirs.add(e.getAgentFirstRep().getWho().getIdentifier().getValue()));
        assertThat(theirs).containsExactly("clinician2");
        assertProblem(http.get("auditor2", "/api/patients/" + patient + "/access-log/fhir"), 404);
        assertProblem(http.get("clinician", "/api/audit/access/fhir"), 403);
        assertProblem(http.get("auditor", "/api/audit/access/fhir?limit=0"), 400);
    }
}
