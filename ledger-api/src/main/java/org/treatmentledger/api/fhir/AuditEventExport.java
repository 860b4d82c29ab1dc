package org.treatmentledger.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.treatmentledger.api.audit.AccessAction;
import org.treatmentledger.api.audit.AccessLogController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Access records as FHIR R4 AuditEvent resources shaped after IHE Basic Audit Log Patterns (BALP): a read of a
 * patient's data is a PatientRead (a read with a query string a PatientQuery), a registration a PatientCreate, a
 * correction a PatientUpdate, an erasure a PatientDelete, an export (FHIR, evidence) a PatientRead that is also a
 * DICOM Export. The user is the requesting agent with the ledger role and the request's purpose of use; the ledger
 * is the source and the responding agent; the patient is the entity. docs/FHIR.md, "Access records".
 */
public class AuditEventExport {

    static final String AUDIT_EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String RESTFUL_INTERACTION = "http://hl7.org/fhir/restful-interaction";
    static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    static final String SECURITY_ROLE_TYPE = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
    static final String SOURCE_TYPE = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    /** The ledger's user roles (INJECTOR, CLINICIAN, AUDITOR, ANALYST): a project code system. */
    static final String USER_ROLE = FhirCodes.CODE_SYSTEM + "user-role";
    /** The access record's id in the access log (and its leaf in the access log's tree). */
    static final String ACCESS_RECORD_ID = FhirCodes.BASE + "/sid/access-record-id";

    private final FhirContext fhir;
    private final String site;

    public AuditEventExport(FhirContext fhir, String site) {
        this.fhir = fhir;
        this.site = site;
    }

    /**
     * A page of access records as a Bundle of type searchset (the answer to a query of the log: FHIR allows the
     * 'next' link only there), newest first; {@code next} links the next page.
     */
    public Bundle bundle(List<AccessLogController.AccessEntry> entries, String patientOfLog, Instant now, String next) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTimestamp(Date.from(now));
        if (next != null) bundle.addLink().setRelation("next").setUrl(next);
        for (AccessLogController.AccessEntry e : entries) {
            AuditEvent event = auditEvent(e, e.patientId() != null ? e.patientId() : patientOfLog);
            bundle.addEntry().setFullUrl(FhirCodes.BASE + "/AuditEvent/" + event.getIdElement().getIdPart())
                    .setResource(event).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    public String json(Bundle bundle) {
        return fhir.newJsonParser().setPrettyPrint(false).encodeResourceToString(bundle);
    }

    AuditEvent auditEvent(AccessLogController.AccessEntry e, String patientId) {
        AuditEvent event = new AuditEvent();
        event.setId("access-" + e.id());
        event.setType(new Coding(AUDIT_EVENT_TYPE, "rest", "RESTful Operation"));
        String query = query(e.resource());
        Interaction interaction = Interaction.of(e.action(), query != null);
        event.addSubtype(new Coding(RESTFUL_INTERACTION, interaction.code, interaction.display));
        if (e.action() == AccessAction.EXPORT) event.addSubtype(new Coding(DICOM, "110106", "Export"));
        event.setAction(interaction.action);
        event.setRecorded(Date.from(e.at()));
        event.setOutcome(e.status() >= 500 ? AuditEvent.AuditEventOutcome._8
                : e.status() >= 400 ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0);
        event.setOutcomeDesc("HTTP " + e.status());
        CodeableConcept purpose = new CodeableConcept(new Coding(ACT_REASON, e.purpose().hl7Code(), null))
                .setText(e.purpose().name());
        event.addPurposeOfEvent(purpose);

        AuditEvent.AuditEventAgentComponent user = event.addAgent();
        user.setType(new CodeableConcept(new Coding(SECURITY_ROLE_TYPE, "humanuser", "human user")));
        if (e.role() != null) user.addRole(new CodeableConcept(new Coding(USER_ROLE, e.role(), null)).setText(e.role()));
        user.setWho(new Reference().setIdentifier(new Identifier().setSystem(FhirCodes.USER).setValue(e.user()))
                .setDisplay(e.user()));
        user.setRequestor(true);
        user.addPurposeOfUse(purpose.copy());

        AuditEvent.AuditEventAgentComponent server = event.addAgent();
        server.setType(new CodeableConcept(new Coding(DICOM, "110153", "Source Role ID")));
        server.setWho(new Reference().setDisplay("Treatment Ledger " + site));
        server.setRequestor(false);

        event.getSource().setSite(site)
                .setObserver(new Reference().setDisplay("Treatment Ledger " + site))
                .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));

        if (patientId != null) {
            AuditEvent.AuditEventEntityComponent patient = event.addEntity();
            patient.setWhat(new Reference().setType("Patient")
                    .setIdentifier(new Identifier().setSystem(FhirCodes.PATIENT_ID).setValue(patientId)));
            patient.setType(new Coding(ENTITY_TYPE, "1", "Person"));
            patient.setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        AuditEvent.AuditEventEntityComponent data = event.addEntity();
        data.setWhat(new Reference().setIdentifier(new Identifier().setSystem(ACCESS_RECORD_ID).setValue(String.valueOf(e.id())))
                .setDisplay(e.resource()));
        data.setType(new Coding(ENTITY_TYPE, "2", "System Object"));
        if (query != null) {
            // BALP's query entity: the query as sent, base64; R4 allows a name or a query, not both (sev-1).
            data.setRole(new Coding(OBJECT_ROLE, "24", "Query"));
            data.setQuery(query.getBytes(StandardCharsets.UTF_8));
        } else {
            data.setDescription(e.resource());
        }
        return event;
    }

    /** The query string of "METHOD /path?query", or null. */
    private static String query(String resource) {
        int q = resource.indexOf('?');
        return q < 0 || q == resource.length() - 1 ? null : resource.substring(q + 1);
    }

    /** The FHIR RESTful interaction and AuditEvent action of a ledger action. */
    private enum Interaction {
        READ("read", "read", AuditEvent.AuditEventAction.R),
        SEARCH("search-type", "search type", AuditEvent.AuditEventAction.E),
        CREATE("create", "create", AuditEvent.AuditEventAction.C),
        UPDATE("update", "update", AuditEvent.AuditEventAction.U),
        DELETE("delete", "delete", AuditEvent.AuditEventAction.D);

        final String code;
        final String display;
        final AuditEvent.AuditEventAction action;

        Interaction(String code, String display, AuditEvent.AuditEventAction action) {
            this.code = code;
            this.display = display;
            this.action = action;
        }

        static Interaction of(AccessAction action, boolean query) {
            return switch (action) {
                case READ -> query ? SEARCH : READ;
                case EXPORT -> READ;
                case CREATE -> CREATE;
                case CORRECT -> UPDATE;
                case ERASE -> DELETE;
            };
        }
    }
}
