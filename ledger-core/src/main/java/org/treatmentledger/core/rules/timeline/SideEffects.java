package org.treatmentledger.core.rules.timeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.serialization.Base64Bytes;
import org.treatmentledger.core.serialization.PackedIds;

import java.io.IOException;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.treatmentledger.core.serialization.SnapshotJson.expect;
import static org.treatmentledger.core.serialization.SnapshotJson.readString;

/**
 * The timeline's side effects by side effect id, in the order they were first reported (a LinkedHashMap's
 * behaviour). Those a snapshot held stay packed as it stored them and become {@link SideEffectEntry} objects
 * one at a time, when a command looks one up or a rule walks them all; those reported since live in a map.
 * <p>
 * Snapshot form (the timeline's "sideEffects"; positions in recorded order):
 * <pre>
 * {"n": count, "types": [name, ...], "zones": [name, ...],
 *  "entryIds", "ids", "resolutionIds": packed ids (see PackedIds),
 *  "times": base64, 24 bytes per position: onset and resolvedAt, each epoch second (8) and nano (4, -1 for none),
 *  "kinds": base64, 2 bytes per position: type code + 1 and zone code + 1 (0 for none),
 *  "byId": base64, 4 bytes each: the positions whose side effect id is a UUID, sorted by it}
 * </pre>
 */
final class SideEffects {

    private final int count;
    private final PackedIds entryIds;
    private final PackedIds ids;
    private final PackedIds resolutionIds;
    private final char[] times;
    private final char[] kinds;
    private final SideEffectType[] types;
    private final Zone[] zones;
    private final char[] byId;
    private final int byIdCount;
    /** Packed positions whose side effect id is not a UUID. */
    private final Map<String, Integer> otherIds;
    /** Packed positions as objects, once decoded or replaced; REMOVED once removed. */
    private final SideEffectEntry[] current;
    private int removedCount;
    /** Side effects not among the packed ones (reported since the snapshot, or removed and reported again). */
    private final LinkedHashMap<String, SideEffectEntry> added;

    private static final SideEffectEntry REMOVED = new SideEffectEntry(null, null, null, null, null, null, null);

    SideEffects(int capacity) {
        this(0, PackedIds.empty(), PackedIds.empty(), PackedIds.empty(), new char[0], new char[0], new SideEffectType[0], new Zone[0], new char[0], 0,
                Map.of(), capacity);
    }

    private SideEffects(int count, PackedIds entryIds, PackedIds ids, PackedIds resolutionIds, char[] times, char[] kinds,
                        SideEffectType[] types, Zone[] zones, char[] byId, int byIdCount, Map<String, Integer> otherIds,
                        int capacity) {
        this.count = count;
        this.entryIds = entryIds;
        this.ids = ids;
        this.resolutionIds = resolutionIds;
        this.times = times;
        this.kinds = kinds;
        this.types = types;
        this.zones = zones;
        this.byId = byId;
        this.byIdCount = byIdCount;
        this.otherIds = otherIds;
        this.current = new SideEffectEntry[count];
        this.added = new LinkedHashMap<>(Math.max(16, capacity * 4 / 3 + 1));
    }

    int size() { return count - removedCount + added.size(); }

    SideEffectEntry get(String sideEffectId) {
        SideEffectEntry entry = added.get(sideEffectId);
        if (entry != null) return entry;
        int i = packedIndex(sideEffectId);
        return i < 0 ? null : at(i);
    }

    void put(SideEffectEntry entry) {
        String key = entry.sideEffectId();
        if (!added.containsKey(key)) {
            int i = packedIndex(key);
            if (i >= 0) {
                current[i] = entry; // replacing keeps the position, as a LinkedHashMap does
                return;
            }
        }
        added.put(key, entry);
    }

    void remove(String sideEffectId) {
        if (added.remove(sideEffectId) != null) return;
        int i = packedIndex(sideEffectId);
        if (i >= 0) {
            current[i] = REMOVED;
            removedCount++;
        }
    }

    /** A live, read-only view in recorded order. */
    java.util.Collection<SideEffectEntry> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<SideEffectEntry> iterator() { return new Iter(); }

            @Override
            public int size() { return SideEffects.this.size(); }
        };
    }

    Map<String, SideEffectEntry> toMap() {
        Map<String, SideEffectEntry> map = new LinkedHashMap<>();
        for (SideEffectEntry e : values()) map.put(e.sideEffectId(), e);
        return map;
    }

    private final class Iter implements Iterator<SideEffectEntry> {
        private int i = nextPacked(0);
        private final Iterator<SideEffectEntry> rest = added.values().iterator();

        private int nextPacked(int from) {
            int k = from;
            while (k < count && current[k] == REMOVED) k++;
            return k;
        }

        @Override
        public boolean hasNext() { return i < count || rest.hasNext(); }

        @Override
        public SideEffectEntry next() {
            if (i < count) {
                SideEffectEntry e = at(i);
                i = nextPacked(i + 1);
                return e;
            }
            if (!rest.hasNext()) throw new NoSuchElementException();
            return rest.next();
        }
    }

    /** The packed position holding {@code sideEffectId} and not removed, or -1. */
    private int packedIndex(String sideEffectId) {
        if (count == 0) return -1;
        int i;
        if (PackedIds.isUuid(sideEffectId)) {
            i = -1;
            long hi = PackedIds.hi(sideEffectId);
            long lo = PackedIds.lo(sideEffectId);
            int low = 0;
            int high = byIdCount - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int position = Base64Bytes.readInt(byId, mid * 4);
                int c = PackedIds.compare(ids.hi(position), ids.lo(position), hi, lo);
                if (c < 0) low = mid + 1;
                else if (c > 0) high = mid - 1;
                else { i = position; break; }
            }
        } else {
            Integer position = otherIds.get(sideEffectId);
            i = position == null ? -1 : position;
        }
        return i < 0 || current[i] == REMOVED ? -1 : i;
    }

    private SideEffectEntry at(int i) {
        SideEffectEntry e = current[i];
        if (e == null) {
            int type = Base64Bytes.readByte(kinds, i * 2);
            int zone = Base64Bytes.readByte(kinds, i * 2 + 1);
            e = new SideEffectEntry(entryIds.get(i), ids.get(i), instant(i * 24), type == 0 ? null : types[type - 1],
                    zone == 0 ? null : zones[zone - 1], resolutionIds.get(i), instant(i * 24 + 12));
            current[i] = e;
        }
        return e;
    }

    private Instant instant(int offset) {
        int nano = Base64Bytes.readInt(times, offset + 8);
        return nano < 0 ? null : Instant.ofEpochSecond(Base64Bytes.readLong(times, offset), nano);
    }

    // ---------------------------------------------------------------- snapshot form

    void write(JsonGenerator gen) throws IOException {
        List<SideEffectEntry> all = new ArrayList<>(values());
        int n = all.size();
        List<String> entryIdList = new ArrayList<>(n);
        List<String> idList = new ArrayList<>(n);
        List<String> resolutionList = new ArrayList<>(n);
        byte[] timeBytes = new byte[n * 24];
        byte[] kindBytes = new byte[n * 2];
        List<Integer> uuidPositions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SideEffectEntry e = all.get(i);
            entryIdList.add(e.entryId());
            idList.add(e.sideEffectId());
            resolutionList.add(e.resolutionEntryId());
            putInstant(timeBytes, i * 24, e.onset());
            putInstant(timeBytes, i * 24 + 12, e.resolvedAt());
            kindBytes[i * 2] = (byte) (e.type() == null ? 0 : e.type().ordinal() + 1);
            kindBytes[i * 2 + 1] = (byte) (e.zone() == null ? 0 : e.zone().ordinal() + 1);
            if (PackedIds.isUuid(e.sideEffectId())) uuidPositions.add(i);
        }
        long[][] keys = new long[uuidPositions.size()][];
        for (int k = 0; k < keys.length; k++) {
            String id = idList.get(uuidPositions.get(k));
            keys[k] = new long[]{PackedIds.hi(id), PackedIds.lo(id), uuidPositions.get(k)};
        }
        Arrays.sort(keys, (a, b) -> PackedIds.compare(a[0], a[1], b[0], b[1]));
        byte[] byIdBytes = new byte[keys.length * 4];
        for (int k = 0; k < keys.length; k++) Base64Bytes.putInt(byIdBytes, k * 4, (int) keys[k][2]);

        gen.writeStartObject();
        gen.writeNumberField("n", n);
        gen.writeArrayFieldStart("types");
        for (SideEffectType t : SideEffectType.values()) gen.writeString(t.name());
        gen.writeEndArray();
        gen.writeArrayFieldStart("zones");
        for (Zone z : Zone.values()) gen.writeString(z.name());
        gen.writeEndArray();
        gen.writeFieldName("entryIds");
        PackedIds.write(gen, entryIdList);
        gen.writeFieldName("ids");
        PackedIds.write(gen, idList);
        gen.writeFieldName("resolutionIds");
        PackedIds.write(gen, resolutionList);
        gen.writeStringField("times", Base64Bytes.encode(timeBytes));
        gen.writeStringField("kinds", Base64Bytes.encode(kindBytes));
        gen.writeStringField("byId", Base64Bytes.encode(byIdBytes));
        gen.writeEndObject();
    }

    private static void putInstant(byte[] bytes, int offset, Instant instant) {
        Base64Bytes.putLong(bytes, offset, instant == null ? 0 : instant.getEpochSecond());
        Base64Bytes.putInt(bytes, offset + 8, instant == null ? -1 : instant.getNano());
    }

    /** The parser on the object's START_OBJECT; ends on its END_OBJECT. {@code extra}: room for side effects to come. */
    static SideEffects read(JsonParser p, DeserializationContext ctxt, int extra) throws IOException {
        expect(p, ctxt, JsonToken.START_OBJECT);
        int n = 0;
        List<SideEffectType> types = new ArrayList<>();
        List<Zone> zones = new ArrayList<>();
        PackedIds entryIds = PackedIds.empty();
        PackedIds ids = PackedIds.empty();
        PackedIds resolutionIds = PackedIds.empty();
        char[] times = new char[0];
        char[] kinds = new char[0];
        char[] byId = new char[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "n" -> n = p.getIntValue();
                case "types" -> readNames(p, ctxt, SideEffectType.class, types);
                case "zones" -> readNames(p, ctxt, Zone.class, zones);
                case "entryIds" -> entryIds = PackedIds.read(p, ctxt);
                case "ids" -> ids = PackedIds.read(p, ctxt);
                case "resolutionIds" -> resolutionIds = PackedIds.read(p, ctxt);
                case "times" -> times = Base64Bytes.readText(p, ctxt);
                case "kinds" -> kinds = Base64Bytes.readText(p, ctxt);
                case "byId" -> byId = Base64Bytes.readText(p, ctxt);
                default -> p.skipChildren();
            }
        }
        Map<String, Integer> otherIds = new HashMap<>();
        ids.others().forEach((position, id) -> otherIds.put(id, position));
        int byIdCount = n - otherIds.size();
        if (entryIds.size() != n || ids.size() != n || resolutionIds.size() != n
                || times.length != Base64Bytes.encodedLength(n * 24) || kinds.length != Base64Bytes.encodedLength(n * 2)
                || byId.length != Base64Bytes.encodedLength(byIdCount * 4)) {
            return (SideEffects) ctxt.reportInputMismatch(Timeline.class, "side effects: columns do not hold %d entries", n);
        }
        // Checked once here, so decoding a position later cannot meet an unknown code.
        for (int i = 0; i < n; i++) {
            int type = Base64Bytes.readByte(kinds, i * 2);
            int zone = Base64Bytes.readByte(kinds, i * 2 + 1);
            if (type > types.size() || zone > zones.size()) {
                return (SideEffects) ctxt.reportInputMismatch(Timeline.class, "side effects: bad type or zone code");
            }
        }
        return new SideEffects(n, entryIds, ids, resolutionIds, times, kinds, types.toArray(new SideEffectType[0]),
                zones.toArray(new Zone[0]), byId, byIdCount, otherIds, extra);
    }

    private static <E extends Enum<E>> void readNames(JsonParser p, DeserializationContext ctxt, Class<E> type, List<E> out)
            throws IOException {
        expect(p, ctxt, JsonToken.START_ARRAY);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String name = readString(p, ctxt);
            try {
                out.add(Enum.valueOf(type, name));
            } catch (IllegalArgumentException | NullPointerException e) {
                ctxt.reportInputMismatch(Timeline.class, "unknown %s %s", type.getSimpleName(), name);
            }
        }
    }
}
