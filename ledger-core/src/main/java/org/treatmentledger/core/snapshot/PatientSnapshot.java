package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.patient.EntryRef;
import org.treatmentledger.core.patient.Patient;
import org.treatmentledger.core.patient.PatientState;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
import org.treatmentledger.core.rules.timeline.SideEffectEntry;
import org.treatmentledger.core.rules.timeline.Timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A patient's snapshot: the aggregate's state ({@link PatientState}) as plain rows that stock Jackson writes and
 * reads (Smile in the JDBC store, JSON with Axon Server). Each row is a positional array, enums by name:
 * <pre>
 * {"patientId": "...", "registeredAt": "2025-01-01T08:00:00Z", "sex": "FEMALE",
 *  "entries": [[id, type, voided, sideEffectId], ...],          sorted by id
 *  "voidedSideEffectReports": [sideEffectId, ...],               sorted
 *  "doses": [[entryId, occurredAt, touchUp, product, intent, [{"site": ..., "units": ...}, ...]], ...],
 *  "lasers": [[entryId, occurredAt, deviceClass, [zone, ...], seriesId], ...],
 *  "sideEffects": [[entryId, sideEffectId, onset, type, zone, resolutionEntryId, resolvedAt], ...]}   as first reported
 * </pre>
 * Its own rows rather than the domain's records, so that a change to those cannot change the stored format
 * unnoticed. Sorted, so the same state always gives the same bytes.
 */
@JsonPropertyOrder({"patientId", "registeredAt", "sex", "entries", "voidedSideEffectReports", "doses", "lasers", "sideEffects"})
public record PatientSnapshot(String patientId, Instant registeredAt, Sex sex, List<Entry> entries,
                              List<String> voidedSideEffectReports, List<Dose> doses, List<Laser> lasers,
                              List<SideEffect> sideEffects) {

    /**
     * The format's revision, stored with every snapshot (Axon reads it from Patient's {@code @Revision}, which must
     * be the same). Raise both whenever what this record writes, or how, changes: Axon then skips the older
     * snapshots and sources those patients from their events, instead of misreading them.
     * 5: this form. 4 and before: hand-written packed columns (revision 4 in Smile).
     */
    public static final String REVISION = "5";

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"id", "type", "voided", "sideEffectId"})
    public record Entry(String id, EntryType type, boolean voided, String sideEffectId) { }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"entryId", "occurredAt", "touchUp", "product", "intent", "sites"})
    public record Dose(String entryId, Instant occurredAt, boolean touchUp, Product product, DoseIntent intent,
                       List<SiteDose> sites) { }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"entryId", "occurredAt", "deviceClass", "zones", "seriesId"})
    public record Laser(String entryId, Instant occurredAt, LaserDeviceClass deviceClass, List<Zone> zones, String seriesId) { }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"entryId", "sideEffectId", "onset", "type", "zone", "resolutionEntryId", "resolvedAt"})
    public record SideEffect(String entryId, String sideEffectId, Instant onset, SideEffectType type, Zone zone,
                             String resolutionEntryId, Instant resolvedAt) { }

    /** The snapshot of {@code patient}'s current state. */
    public static PatientSnapshot of(Patient patient) {
        PatientState state = patient.state();
        List<Entry> entries = new ArrayList<>(state.entries().size());
        state.entries().forEach((id, ref) -> entries.add(new Entry(id, ref.type(), ref.voided(), ref.sideEffectId())));
        entries.sort(Comparator.comparing(Entry::id));
        List<String> voided = new ArrayList<>(state.voidedSideEffectReports());
        voided.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        Timeline timeline = state.timeline();
        List<Dose> doses = new ArrayList<>(timeline.doses().size());
        for (DoseEntry d : timeline.doses()) {
            doses.add(new Dose(d.entryId(), d.occurredAt(), d.touchUp(), d.product(), d.intent(), d.sites()));
        }
        List<Laser> lasers = new ArrayList<>(timeline.lasers().size());
        for (LaserEntry l : timeline.lasers()) {
            lasers.add(new Laser(l.entryId(), l.occurredAt(), l.deviceClass(), l.zones(), l.seriesId()));
        }
        List<SideEffect> sideEffects = new ArrayList<>();
        for (SideEffectEntry s : timeline.sideEffectList()) {
            sideEffects.add(new SideEffect(s.entryId(), s.sideEffectId(), s.onset(), s.type(), s.zone(),
                    s.resolutionEntryId(), s.resolvedAt()));
        }
        return new PatientSnapshot(state.patientId() == null ? null : state.patientId().value(), state.registeredAt(),
                state.sex(), entries, voided, doses, lasers, sideEffects);
    }

    /** The patient this snapshot describes, as the events it summarises left it. */
    public Patient toPatient() {
        List<Entry> entryRows = entries == null ? List.of() : entries;
        Map<String, EntryRef> refs = new HashMap<>(Math.max(16, (entryRows.size() + 128) * 4 / 3));
        for (Entry e : entryRows) {
            if (e.type() == null) throw new IllegalArgumentException("snapshot entry " + e.id() + " has no type");
            EntryRef ref = EntryRef.of(e.type(), e.sideEffectId());
            refs.put(e.id(), e.voided() ? ref.asVoided() : ref);
        }
        Set<String> voided = voidedSideEffectReports == null ? new HashSet<>() : new HashSet<>(voidedSideEffectReports);
        Timeline timeline = new Timeline();
        for (Dose d : doses == null ? List.<Dose>of() : doses) {
            timeline.add(new DoseEntry(d.entryId(), d.occurredAt(), d.touchUp(), d.product(), d.intent(), d.sites()));
        }
        for (Laser l : lasers == null ? List.<Laser>of() : lasers) {
            timeline.add(new LaserEntry(l.entryId(), l.occurredAt(), l.deviceClass(), l.zones(), l.seriesId()));
        }
        for (SideEffect s : sideEffects == null ? List.<SideEffect>of() : sideEffects) {
            timeline.putSideEffect(new SideEffectEntry(s.entryId(), s.sideEffectId(), s.onset(), s.type(), s.zone(),
                    s.resolutionEntryId(), s.resolvedAt()));
        }
        return Patient.restore(new PatientState(patientId == null ? null : PatientId.of(patientId), registeredAt, sex,
                refs, voided, timeline));
    }
}
