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
 *  "doses": [[entryId, occurredAt, touchUp, product, intent, [{"site": ..., "units": ...}, ...]], ...],
 *  "doseSequences": [sequence, ...],                             per dose row, its first recording's stream sequence
 *  "lasers": [[entryId, occurredAt, deviceClass, [zone, ...], seriesId], ...],
 *  "laserSequences": [sequence, ...],                            per laser row, likewise
 *  "sideEffects": {...}}       columns in the order first reported, see PackedSideEffects
 * </pre>
 * Its own rows rather than the domain's records, so that a change to those cannot change the stored format
 * unnoticed. Sorted, so the same state always gives the same bytes. The sequences are columns of their own
 * (primitive arrays) rather than a field of each row, which Jackson would box per row on the cold load.
 */
@JsonPropertyOrder({"patientId", "registeredAt", "sex", "entryTypes", "packedIds", "packedKinds", "packedSideEffectIds",
        "entries", "voidedSideEffectReports", "doses", "doseSequences", "lasers", "laserSequences", "sideEffects"})
public record PatientSnapshot(String patientId, Instant registeredAt, Sex sex, List<EntryType> entryTypes,
                              byte[] packedIds, byte[] packedKinds, byte[] packedSideEffectIds, List<Entry> entries,
                              List<String> voidedSideEffectReports, List<Dose> doses, long[] doseSequences,
                              List<Laser> lasers, long[] laserSequences, PackedSideEffects.Columns sideEffects) {

    /**
     * The format's revision, stored with every snapshot (Axon reads it from Patient's {@code @Revision}, which must
     * be the same). Raise both whenever what this record writes, or how, changes: Axon then skips the older
     * snapshots and sources those patients from their events, instead of misreading them.
     * 6: with the stream sequence of each dose's and laser's first recording (ledger order at one instant, see
     * CycleModel). 5: this form without them. 4 and before: hand-written streaming formats (revision 4
     * in Smile).
     */
    public static final String REVISION = "6";

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
        long[] doseSequences = new long[timeline.doses().size()];
        for (DoseEntry d : timeline.doses()) {
            doseSequences[doses.size()] = d.sequence();
            doses.add(new Dose(d.entryId(), d.occurredAt(), d.touchUp(), d.product(), d.intent(), d.sites()));
        }
        List<Laser> lasers = new ArrayList<>(timeline.lasers().size());
        long[] laserSequences = new long[timeline.lasers().size()];
        for (LaserEntry l : timeline.lasers()) {
            laserSequences[lasers.size()] = l.sequence();
            lasers.add(new Laser(l.entryId(), l.occurredAt(), l.deviceClass(), l.zones(), l.seriesId()));
        }
        return new PatientSnapshot(state.patientId() == null ? null : state.patientId().value(), state.registeredAt(),
                state.sex(), List.of(EntryType.values()), ids, kinds, sideEffectIds, entries, voided, doses,
                doseSequences, lasers, laserSequences, PackedSideEffects.Columns.of(timeline.sideEffectList()));
    }

    /** A sequence column, refused (IllegalArgumentException) unless it has one sequence per row. */
    private static long[] sequences(String kind, long[] column, int rows) {
        long[] c = column == null ? new long[0] : column;
        if (c.length != rows) throw new IllegalArgumentException("snapshot: " + c.length + " " + kind + " sequences for " + rows + " rows");
        return c;
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
        List<Dose> doseRows = doses == null ? List.of() : doses;
        List<Laser> laserRows = lasers == null ? List.of() : lasers;
        long[] doseSeq = sequences("dose", doseSequences, doseRows.size());
        long[] laserSeq = sequences("laser", laserSequences, laserRows.size());
        for (int i = 0; i < doseRows.size(); i++) {
            Dose d = doseRows.get(i);
            timeline.add(new DoseEntry(d.entryId(), doseSeq[i], d.occurredAt(), d.touchUp(), d.product(), d.intent(),
                    d.sites()));
        }
        for (int i = 0; i < laserRows.size(); i++) {
            Laser l = laserRows.get(i);
            timeline.add(new LaserEntry(l.entryId(), laserSeq[i], l.occurredAt(), l.deviceClass(), l.zones(),
                    l.seriesId()));
        }
        return Patient.restore(new PatientState(patientId == null ? null : PatientId.of(patientId), registeredAt, sex,
                entries, voided, timeline));
    }
}
