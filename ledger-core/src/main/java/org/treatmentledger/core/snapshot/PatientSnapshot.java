package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.treatmentledger.core.api.DoseIntent;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.LaserDeviceClass;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.Product;
import org.treatmentledger.core.api.Sex;
import org.treatmentledger.core.api.SiteDose;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.patient.EntryRef;
import org.treatmentledger.core.patient.Patient;
import org.treatmentledger.core.patient.PatientState;
import org.treatmentledger.core.rules.timeline.DoseEntry;
import org.treatmentledger.core.rules.timeline.LaserEntry;
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
 * A patient's snapshot: the aggregate's state ({@link PatientState}) as rows that stock Jackson writes and reads
 * (Smile in the JDBC store, JSON with Axon Server). Each row is a positional array, enums by name. Two departures
 * from plain rows, for the cold load of a long history: the entries whose id (and side effect id) are canonical
 * UUIDs, most of them, are three packed columns that {@link PackedEntries} searches in place, and the side effects
 * are columns that {@link PackedSideEffects} decodes one at a time (see there for why).
 * <pre>
 * {"patientId": "...", "registeredAt": "2025-01-01T08:00:00Z", "sex": "FEMALE",
 *  "entryTypes": [name, ...],                                   the packed kinds' type codes
 *  "packedIds": bytes, 16 per entry, in UUID order,
 *  "packedKinds": bytes, 1 per entry: type code | 0x40 has a side effect id | 0x80 voided,
 *  "packedSideEffectIds": bytes, 16 per entry flagged 0x40, in the same order,
 *  "entries": [[id, type, voided, sideEffectId], ...],          the other entries, sorted by id
 *  "voidedSideEffectReports": [sideEffectId, ...],               sorted
 *  "doses": [[entryId, sequence, occurredAt, touchUp, product, intent, [{"site": ..., "units": ...}, ...]], ...],
 *  "lasers": [[entryId, sequence, occurredAt, deviceClass, [zone, ...], seriesId], ...],
 *  "sideEffects": {...}}       columns in the order first reported, see PackedSideEffects
 * </pre>
 * Its own rows rather than the domain's records, so that a change to those cannot change the stored format
 * unnoticed. Sorted, so the same state always gives the same bytes.
 */
@JsonPropertyOrder({"patientId", "registeredAt", "sex", "entryTypes", "packedIds", "packedKinds", "packedSideEffectIds",
        "entries", "voidedSideEffectReports", "doses", "lasers", "sideEffects"})
public record PatientSnapshot(String patientId, Instant registeredAt, Sex sex, List<EntryType> entryTypes,
                              byte[] packedIds, byte[] packedKinds, byte[] packedSideEffectIds, List<Entry> entries,
                              List<String> voidedSideEffectReports, List<Dose> doses, List<Laser> lasers,
                              PackedSideEffects.Columns sideEffects) {

    /**
     * The format's revision, stored with every snapshot (Axon reads it from Patient's {@code @Revision}, which must
     * be the same). Raise both whenever what this record writes, or how, changes: Axon then skips the older
     * snapshots and sources those patients from their events, instead of misreading them.
     * 6: each dose and laser row keeps the stream sequence of its entry's first recording (ledger order at one
     * instant, see CycleModel). 5: this form without it. 4 and before: hand-written streaming formats (revision 4
     * in Smile).
     */
    public static final String REVISION = "6";

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"id", "type", "voided", "sideEffectId"})
    public record Entry(String id, EntryType type, boolean voided, String sideEffectId) { }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"entryId", "sequence", "occurredAt", "touchUp", "product", "intent", "sites"})
    public record Dose(String entryId, long sequence, Instant occurredAt, boolean touchUp, Product product,
                       DoseIntent intent, List<SiteDose> sites) { }

    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"entryId", "sequence", "occurredAt", "deviceClass", "zones", "seriesId"})
    public record Laser(String entryId, long sequence, Instant occurredAt, LaserDeviceClass deviceClass, List<Zone> zones,
                        String seriesId) { }

    /** The snapshot of {@code patient}'s current state. */
    public static PatientSnapshot of(Patient patient) {
        PatientState state = patient.state();
        List<Entry> entries = new ArrayList<>();
        List<long[]> packed = new ArrayList<>(state.entries().size());
        List<EntryRef> packedRefs = new ArrayList<>(state.entries().size());
        state.entries().forEach((id, ref) -> {
            long[] key = new long[5]; // id's 16 bytes, side effect id's 16 bytes, position in packedRefs
            long[] sideEffect = new long[2];
            if (Uuids.parse(id, key) && (ref.sideEffectId() == null || Uuids.parse(ref.sideEffectId(), sideEffect))) {
                key[2] = sideEffect[0];
                key[3] = sideEffect[1];
                key[4] = packedRefs.size();
                packed.add(key);
                packedRefs.add(ref);
            } else {
                entries.add(new Entry(id, ref.type(), ref.voided(), ref.sideEffectId()));
            }
        });
        entries.sort(Comparator.comparing(Entry::id));
        packed.sort((a, b) -> Uuids.compare(a[0], a[1], b[0], b[1]));
        int flagged = 0;
        for (EntryRef ref : packedRefs) if (ref.sideEffectId() != null) flagged++;
        byte[] ids = new byte[packed.size() * 16];
        byte[] kinds = new byte[packed.size()];
        byte[] sideEffectIds = new byte[flagged * 16];
        int rank = 0;
        for (int i = 0; i < packed.size(); i++) {
            long[] key = packed.get(i);
            EntryRef ref = packedRefs.get((int) key[4]);
            Uuids.put(ids, i, key[0], key[1]);
            kinds[i] = (byte) (ref.type().ordinal() | (ref.sideEffectId() == null ? 0 : PackedEntries.HAS_SIDE_EFFECT)
                    | (ref.voided() ? PackedEntries.VOIDED : 0));
            if (ref.sideEffectId() != null) Uuids.put(sideEffectIds, rank++, key[2], key[3]);
        }
        List<String> voided = new ArrayList<>(state.voidedSideEffectReports());
        voided.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        Timeline timeline = state.timeline();
        List<Dose> doses = new ArrayList<>(timeline.doses().size());
        for (DoseEntry d : timeline.doses()) {
            doses.add(new Dose(d.entryId(), d.sequence(), d.occurredAt(), d.touchUp(), d.product(), d.intent(), d.sites()));
        }
        List<Laser> lasers = new ArrayList<>(timeline.lasers().size());
        for (LaserEntry l : timeline.lasers()) {
            lasers.add(new Laser(l.entryId(), l.sequence(), l.occurredAt(), l.deviceClass(), l.zones(), l.seriesId()));
        }
        return new PatientSnapshot(state.patientId() == null ? null : state.patientId().value(), state.registeredAt(),
                state.sex(), List.of(EntryType.values()), ids, kinds, sideEffectIds, entries, voided, doses, lasers,
                PackedSideEffects.Columns.of(timeline.sideEffectList()));
    }

    /** The patient this snapshot describes, as the events it summarises left it. */
    public Patient toPatient() {
        List<Entry> entryRows = entries == null ? List.of() : entries;
        Map<String, EntryRef> refs = new HashMap<>(Math.max(16, entryRows.size() * 4 / 3 + 1));
        for (Entry e : entryRows) {
            if (e.type() == null) throw new IllegalArgumentException("snapshot entry " + e.id() + " has no type");
            EntryRef ref = EntryRef.of(e.type(), e.sideEffectId());
            refs.put(e.id(), e.voided() ? ref.asVoided() : ref);
        }
        Map<String, EntryRef> entries = PackedEntries.of(entryTypes, packedIds, packedKinds, packedSideEffectIds, refs);
        Set<String> voided = voidedSideEffectReports == null ? new HashSet<>() : new HashSet<>(voidedSideEffectReports);
        Timeline timeline = new Timeline(sideEffects == null ? new java.util.LinkedHashMap<>() : new PackedSideEffects(sideEffects));
        for (Dose d : doses == null ? List.<Dose>of() : doses) {
            timeline.add(new DoseEntry(d.entryId(), d.sequence(), d.occurredAt(), d.touchUp(), d.product(), d.intent(),
                    d.sites()));
        }
        for (Laser l : lasers == null ? List.<Laser>of() : lasers) {
            timeline.add(new LaserEntry(l.entryId(), l.sequence(), l.occurredAt(), l.deviceClass(), l.zones(),
                    l.seriesId()));
        }
        return Patient.restore(new PatientState(patientId == null ? null : PatientId.of(patientId), registeredAt, sex,
                entries, voided, timeline));
    }
}
