package org.treatmentledger.api.erasure;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.treatmentledger.api.fhir.BulkExport;
import org.treatmentledger.api.http.LedgerGateway;
import org.treatmentledger.api.idempotency.IdempotencyStore;
import org.treatmentledger.core.api.ErasePatient;
import org.treatmentledger.core.api.PatientErased;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.personaldata.PersonalDataModule;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.rules.RuleCode;
import org.treatmentledger.core.rules.RuleViolationException;
import org.treatmentledger.core.rules.Violation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Erases a patient: records the erasure through the aggregate (refused if already erased: nothing stored), then
 * destroys the patient's data key, deletes the stored Idempotency-Key answers about it and discards this node's FHIR
 * bulk exports of its clinic. Every other copy of the
 * patient's personal data is ciphertext under that key (events, the read side's copy of them, dead letters) or holds
 * none (snapshots, the aggregate cache, the access log), see docs/ERASURE.md. A patient with personal values stored in
 * clear (events of a version before encryption) is refused: its erasure could not be what it says.
 */
public class ErasureService {

    private static final Logger log = LoggerFactory.getLogger(ErasureService.class);

    private final LedgerGateway gateway;
    private final EventStore events;
    private final Serializer eventSerializer;
    private final DataKeyStore keys;
    private final IdempotencyStore idempotency;
    private final ObjectMapper reader;
    private final ObjectProvider<BulkExport> bulkExports;

    public ErasureService(LedgerGateway gateway, EventStore events, Serializer eventSerializer, DataKeyStore keys,
                          IdempotencyStore idempotency, ObjectProvider<BulkExport> bulkExports) {
        this.bulkExports = bulkExports;
        this.gateway = gateway;
        this.events = events;
        this.eventSerializer = eventSerializer;
        this.keys = keys;
        this.idempotency = idempotency;
        this.reader = PersonalDataSerializer.mapper(keys);
    }

    /** Erases the patient; answers the erasure's entry id. */
    public String erase(PatientId patient, String reason) {
        Scan scan = scan(patient);
        if (scan.erased()) {
            // Already erased: make sure its key is gone (a crash may have come between the event and the destruction).
            shred(patient, scan.clinic());
            throw new RuleViolationException(new Violation(RuleCode.ALREADY_ERASED,
                    "Patient " + patient + " is already erased.", null, null, null));
        }
        if (scan.plaintext() > 0) {
            throw new RuleViolationException(new Violation(RuleCode.PLAINTEXT_NOT_ERASABLE, "Patient " + patient
                    + " has " + scan.plaintext() + " personal values stored in clear by an earlier version; they cannot be"
                    + " shredded, so the erasure is refused (docs/ERASURE.md).", null, null, null));
        }
        String entryId = gateway.send(new ErasePatient(patient, reason));
        shred(patient, scan.clinic());
        log.info("Patient {} erased (entry {}): data key destroyed", patient, entryId);
        return entryId;
    }

    private void shred(PatientId patient, String clinic) {
        keys.destroy(patient.value());
        idempotency.forgetPatient(patient.value());
        BulkExport exports = bulkExports.getIfAvailable();
        if (exports != null && clinic != null) {
            int discarded = exports.discardJobsOf(clinic);
            if (discarded > 0) log.info("Erasure of {}: {} bulk export(s) of its clinic discarded", patient, discarded);
        }
    }

    private record Scan(boolean erased, int plaintext, String clinic) { }

    /** The patient's events as stored (no snapshot): erased already, and how many personal values are in clear. */
    private Scan scan(PatientId patient) {
        AtomicInteger plaintext = new AtomicInteger();
        boolean erased = false;
        String clinic = null;
        DomainEventStream stream = events.readEvents(patient.value(), 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> m = stream.next();
            if (PatientErased.class.equals(m.getPayloadType())) erased = true;
            byte[] stored = m.serializePayload(eventSerializer, byte[].class).getData();
            try {
                Object event = reader.readerFor(m.getPayloadType()).withAttribute(PersonalDataModule.PLAINTEXT_SEEN, plaintext)
                        .readValue(stored);
                if (event instanceof PatientRegistered registered) clinic = registered.clinicId();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Scan(erased, plaintext.get(), clinic);
    }
}
