package org.treatmentledger.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.treatmentledger.api.patient.ReadController;
import org.treatmentledger.projections.history.HistoryView;

import java.time.Clock;
import java.util.List;

/**
 * A patient's ledger as FHIR: read through the patient read path ({@link ReadController#history}, which waits for
 * read-your-writes, answers 404 for an unknown patient and applies every check a patient read has), mapped by
 * {@link LedgerFhirMapping}, with the integrity log's seals.
 */
public class FhirExport {

    private final ReadController reads;
    private final LedgerFhirMapping mapping;
    private final LedgerSeals seals;
    private final FhirContext fhir;
    private final Clock clock;

    public FhirExport(ReadController reads, LedgerFhirMapping mapping, LedgerSeals seals, FhirContext fhir, Clock clock) {
        this.reads = reads;
        this.mapping = mapping;
        this.seals = seals;
        this.fhir = fhir;
        this.clock = clock;
    }

    public Bundle bundle(String patientId) {
        HistoryView history = reads.history(patientId, null);
        return mapping.bundle(history, seals.of(history.patientId()), clock.instant());
    }

    public List<Resource> resources(String patientId) {
        HistoryView history = reads.history(patientId, null);
        return mapping.resources(history, seals.of(history.patientId()));
    }

    /** FHIR JSON of one resource or bundle, without indentation (one line: NDJSON-ready). */
    public String json(Resource resource) {
        return fhir.newJsonParser().setPrettyPrint(false).encodeResourceToString(resource);
    }

    public FhirContext context() {
        return fhir;
    }
}
