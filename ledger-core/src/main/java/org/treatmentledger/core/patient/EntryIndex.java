package org.treatmentledger.core.patient;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.serialization.PackedBytes;
import org.treatmentledger.core.serialization.PackedIds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;

/**
 * Every entry id on a patient's stream with its {@link EntryRef}: a map from the aggregate's point of view.
 * The entries a snapshot held stay packed as the snapshot stored them (UUID ids sorted, 16 bytes each, and
 * one byte of type and flags per id; packed columns, see PackedBytes) and are found by binary
 * search, building only the id strings it visits; entries added since, and ids that are not UUIDs, live in a hash map. Building 10,000 id strings
 * and a hash map of them was most of a long history's cold load, and a command needs one or two lookups.
 * <p>
 * A snapshot leaves out the side effect reports and resolutions that the timeline's side effects record under
 * the same entry id (in a long history, most side effect entries): {@link Derived} finds them there.
 * <p>
 * Snapshot form (inside the Patient's, see {@link PatientJson}):
 * <pre>
 * {"types": [type name, ...],                      the type codes below, by name (never ordinals)
 *  "ids": packed ids (UUIDs, sorted),              see PackedIds
 *  "kinds": packed, one byte per id: type code | 0x40 has a side effect id | 0x80 voided,
 *  "sideEffectIds": packed ids, one per id flagged 0x40, in id order,
 *  "others": [[id, kind, sideEffectId], ...]}      ids that are not UUIDs, sorted
 * </pre>
 */
final class EntryIndex {

    private static final int TYPE = 0x1F;
    private static final int SHADOWED = 0x20; // in memory only: replaced by an entry in the map
    private static final int SIDE_EFFECT = 0x40;
    private static final int VOIDED = 0x80;
    private static final EntryType[] TYPES = EntryType.values();

    private final PackedIds packed;
    private final byte[] kinds;
    private final PackedIds sideEffectIds;
    private int shadowed;
    private final HashMap<String, EntryRef> recent;
    private Derived derived = Derived.NONE;

    /** Entries a snapshot left out, found where it left them; never voided (a voided one is in the map). */
    interface Derived {
        Derived NONE = new Derived() {
            @Override
            public EntryRef get(String id) { return null; }

            @Override
            public void forEach(BiConsumer<String, EntryRef> action) { }
        };

        EntryRef get(String id);

        /** Every one, in an order where the first of equal ids is the one {@link #get} finds. */
        void forEach(BiConsumer<String, EntryRef> action);
    }

    EntryIndex() {
        this(PackedIds.empty(), new byte[0], PackedIds.empty(), new HashMap<>());
    }

    private EntryIndex(PackedIds packed, byte[] kinds, PackedIds sideEffectIds, HashMap<String, EntryRef> recent) {
        this.packed = packed;
        this.kinds = kinds;
        this.sideEffectIds = sideEffectIds;
        this.recent = recent;
    }

    /** Set once, when read from a snapshot (the entries it left out); later changes to them go to the map. */
    void derivedFrom(Derived derived) { this.derived = derived; }

    EntryRef get(String id) {
        EntryRef ref = recent.get(id);
        if (ref != null) return ref;
        int i = packedIndex(id);
        return i >= 0 ? ref(i) : derived.get(id);
    }

    boolean containsKey(String id) { return get(id) != null; }

    void put(String id, EntryRef ref) {
        Objects.requireNonNull(ref);
        if (!recent.containsKey(id)) {
            int i = packedIndex(id);
            if (i >= 0) {
                EntryRef current = ref(i);
                if (current.type() == ref.type() && Objects.equals(current.sideEffectId(), ref.sideEffectId())) {
                    kinds[i] = (byte) (ref.voided() ? kinds[i] | VOIDED : kinds[i] & ~VOIDED);
                    return;
                }
                kinds[i] |= SHADOWED;
                shadowed++;
            }
        }
        recent.put(id, ref);
    }

    /** Every entry (decodes every packed id: for tests and tools, not for commands). */
    Map<String, EntryRef> toMap() {
        Map<String, EntryRef> all = new HashMap<>();
        derived.forEach(all::putIfAbsent);
        for (int i = 0; i < packed.size(); i++) {
            if ((kinds[i] & SHADOWED) == 0) all.put(packed.get(i), ref(i));
        }
        all.putAll(recent);
        return all;
    }

    /** The voided entries. */
    void forEachVoided(BiConsumer<String, EntryRef> action) {
        for (int i = 0; i < kinds.length; i++) {
            if ((kinds[i] & (VOIDED | SHADOWED)) == VOIDED) action.accept(packed.get(i), ref(i));
        }
        recent.forEach((id, ref) -> { if (ref.voided()) action.accept(id, ref); });
    }

    private int packedIndex(String id) {
        if (packed.size() == 0 || !PackedIds.isUuid(id)) return -1;
        int i = packed.indexOf(PackedIds.hi(id), PackedIds.lo(id));
        return i < 0 || (kinds[i] & SHADOWED) != 0 ? -1 : i;
    }

    private EntryRef ref(int i) {
        int kind = kinds[i] & 0xFF;
        EntryType type = TYPES[kind & TYPE];
        String sideEffectId = (kind & SIDE_EFFECT) == 0 ? null : sideEffectIds.get(sideEffectRank(i));
        EntryRef ref = EntryRef.of(type, sideEffectId);
        return (kind & VOIDED) == 0 ? ref : ref.asVoided();
    }

    /** The position in {@link #sideEffectIds} of packed entry {@code i}'s side effect id. */
    private int sideEffectRank(int i) {
        int rank = 0;
        for (int k = 0; k < i; k++) if ((kinds[k] & SIDE_EFFECT) != 0) rank++;
        return rank;
    }

    private static int kind(EntryRef ref) {
        return ref.type().ordinal() | (ref.sideEffectId() == null ? 0 : SIDE_EFFECT) | (ref.voided() ? VOIDED : 0);
    }

    // ---------------------------------------------------------------- snapshot form

    /**
     * Writes the object described above; sorted, so the same entries always give the same bytes. Leaves out
     * every entry whose ref {@code derivable} gives exactly (what the reader's {@link Derived} will find).
     */
    void write(JsonGenerator gen, Function<String, EntryRef> derivable) throws IOException {
        // Entries outside the packed ones (the map's, and derived ones no longer derivable), UUIDs sorted,
        // merged with the packed ones (already sorted; never the same id).
        Map<String, EntryRef> extra = new HashMap<>();
        recent.forEach((id, ref) -> { if (!ref.equals(derivable.apply(id))) extra.put(id, ref); });
        derived.forEach((id, ref) -> { // usually still derivable: then nothing to check
            if (!ref.equals(derivable.apply(id)) && !recent.containsKey(id) && packedIndex(id) < 0) extra.putIfAbsent(id, ref);
        });
        List<String> extraUuids = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String id : extra.keySet()) (PackedIds.isUuid(id) ? extraUuids : others).add(id);
        long[][] keys = new long[extraUuids.size()][];
        for (int k = 0; k < keys.length; k++) keys[k] = new long[]{PackedIds.hi(extraUuids.get(k)), PackedIds.lo(extraUuids.get(k)), k};
        Arrays.sort(keys, (a, b) -> PackedIds.compare(a[0], a[1], b[0], b[1]));
        others.sort(null);

        int capacity = packed.size() + extraUuids.size();
        byte[] ids = new byte[capacity * 16];
        byte[] outKinds = new byte[capacity];
        List<String> sideEffects = new ArrayList<>();
        int out = 0;
        int r = 0;
        int rank = 0;
        for (int i = 0; i <= packed.size(); i++) {
            boolean more = i < packed.size();
            long hi = more ? packed.hi(i) : 0;
            long lo = more ? packed.lo(i) : 0;
            while (r < keys.length && (!more || PackedIds.compare(keys[r][0], keys[r][1], hi, lo) < 0)) {
                EntryRef ref = extra.get(extraUuids.get((int) keys[r][2]));
                PackedBytes.putLong(ids, out * 16, keys[r][0]);
                PackedBytes.putLong(ids, out * 16 + 8, keys[r][1]);
                outKinds[out++] = (byte) kind(ref);
                if (ref.sideEffectId() != null) sideEffects.add(ref.sideEffectId());
                r++;
            }
            if (!more) break;
            int kind = kinds[i] & 0xFF;
            String sideEffectId = (kind & SIDE_EFFECT) == 0 ? null : sideEffectIds.get(rank++);
            if ((kind & SHADOWED) != 0) continue;
            EntryType type = TYPES[kind & TYPE];
            if ((type == EntryType.SIDE_EFFECT_REPORTED || type == EntryType.SIDE_EFFECT_RESOLVED)
                    && ref(i).equals(derivable.apply(packed.get(i)))) continue;
            PackedBytes.putLong(ids, out * 16, hi);
            PackedBytes.putLong(ids, out * 16 + 8, lo);
            outKinds[out++] = (byte) kind;
            if (sideEffectId != null) sideEffects.add(sideEffectId);
        }
        int n = out;

        gen.writeStartObject();
        gen.writeArrayFieldStart("types");
        for (EntryType type : TYPES) gen.writeString(type.name());
        gen.writeEndArray();
        gen.writeFieldName("ids");
        PackedIds.writeUuids(gen, Arrays.copyOf(ids, n * 16), n);
        PackedBytes.writeField(gen, "kinds", Arrays.copyOf(outKinds, n));
        gen.writeFieldName("sideEffectIds");
        PackedIds.write(gen, sideEffects);
        gen.writeArrayFieldStart("others");
        for (String id : others) {
            EntryRef ref = extra.get(id);
            gen.writeStartArray();
            gen.writeString(id);
            gen.writeNumber(kind(ref));
            gen.writeString(ref.sideEffectId());
            gen.writeEndArray();
        }
        gen.writeEndArray();
        gen.writeEndObject();
    }

    /** The parser on the object's START_OBJECT; ends on its END_OBJECT. */
    static EntryIndex read(JsonParser p, DeserializationContext ctxt) throws IOException {
        expect(p, ctxt, JsonToken.START_OBJECT);
        List<EntryType> types = new ArrayList<>();
        PackedIds ids = PackedIds.empty();
        byte[] kinds = new byte[0];
        PackedIds sideEffectIds = PackedIds.empty();
        List<Object[]> others = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "types" -> {
                    expect(p, ctxt, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) types.add(entryType(readString(p, ctxt), ctxt));
                }
                case "ids" -> ids = PackedIds.read(p, ctxt);
                case "kinds" -> kinds = PackedBytes.readBinary(p, ctxt);
                case "sideEffectIds" -> sideEffectIds = PackedIds.read(p, ctxt);
                case "others" -> {
                    expect(p, ctxt, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        expect(p, ctxt, JsonToken.START_ARRAY);
                        p.nextToken();
                        String id = readString(p, ctxt);
                        p.nextToken();
                        int kind = p.getIntValue();
                        p.nextToken();
                        String sideEffectId = readString(p, ctxt);
                        p.nextToken();
                        expect(p, ctxt, JsonToken.END_ARRAY);
                        others.add(new Object[]{id, kind, sideEffectId});
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!ids.isStrictlyAscending()) {
            return (EntryIndex) ctxt.reportInputMismatch(Patient.class, "entries: packed ids out of order");
        }
        if (kinds.length != ids.size() || !ids.others().isEmpty()) {
            return (EntryIndex) ctxt.reportInputMismatch(Patient.class, "entries: %d kinds for %d packed ids", kinds.length, ids.size());
        }
        // Stored type codes to this version's ordinals (the same unless EntryType changed).
        int[] ordinal = new int[TYPE + 1];
        boolean same = true;
        for (int code = 0; code < types.size() && code <= TYPE; code++) {
            ordinal[code] = types.get(code).ordinal();
            same &= ordinal[code] == code;
        }
        int sideEffectCount = 0;
        for (int i = 0; i < kinds.length; i++) {
            int kind = kinds[i] & 0xFF;
            if ((kind & TYPE) >= types.size() || (kind & SHADOWED) != 0) {
                return (EntryIndex) ctxt.reportInputMismatch(Patient.class, "entries: bad kind %d", kind);
            }
            if (!same) kinds[i] = (byte) (kind & ~TYPE | ordinal[kind & TYPE]);
            if ((kind & SIDE_EFFECT) != 0) sideEffectCount++;
        }
        if (sideEffectCount != sideEffectIds.size()) {
            return (EntryIndex) ctxt.reportInputMismatch(Patient.class, "entries: %d side effect ids for %d flagged entries",
                    sideEffectIds.size(), sideEffectCount);
        }
        HashMap<String, EntryRef> recent = new HashMap<>(Math.max(16, (others.size() + 128) * 4 / 3));
        for (Object[] other : others) {
            int kind = (int) other[1];
            if ((kind & TYPE) >= types.size()) return (EntryIndex) ctxt.reportInputMismatch(Patient.class, "entries: bad kind %d", kind);
            EntryRef ref = EntryRef.of(types.get(kind & TYPE), (String) other[2]);
            recent.put((String) other[0], (kind & VOIDED) == 0 ? ref : ref.asVoided());
        }
        return new EntryIndex(ids, kinds, sideEffectIds, recent);
    }

    private static EntryType entryType(String name, DeserializationContext ctxt) throws IOException {
        try {
            return EntryType.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return (EntryType) ctxt.reportInputMismatch(Patient.class, "unknown entry type %s", name);
        }
    }
}
