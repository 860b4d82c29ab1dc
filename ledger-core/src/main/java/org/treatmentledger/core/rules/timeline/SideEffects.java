package org.treatmentledger.core.rules.timeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.serialization.PackedBytes;
import org.treatmentledger.core.serialization.IdLookup;
import org.treatmentledger.core.serialization.PackedIds;

import java.io.IOException;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.Collection;
import java.util.TreeMap;

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
 *  "times": packed, 16 bytes per position: onset and resolvedAt in epoch nanos (Long.MIN_VALUE: none),
 *  "timesApart": [position * 2 (+ 1 for resolvedAt), ISO-8601, ...]   instants outside 1677-2262,
 *  "kinds": packed, 2 bytes per position: type code + 1 and zone code + 1 (0 for none),
 *  "byId", "byEntryId", "byResolutionId": sorted positions for lookups (see IdLookup)}
 * </pre>
 * The patient's snapshot leaves out the report and resolution entries these record ({@link #storedReportOf}).
 */
final class SideEffects {

    private final int count;
    private final PackedIds entryIds;
    private final PackedIds ids;
    private final PackedIds resolutionIds;
    private final byte[] times;
    private final byte[] kinds;
    private final SideEffectType[] types;
    private final Zone[] zones;
    private final Map<Integer, Instant> timesApart;
    private final IdLookup byId;
    private final IdLookup byEntryId;
    private final IdLookup byResolutionId;
    /** Packed positions as objects, once decoded or replaced; REMOVED once removed. */
    private final SideEffectEntry[] current;
    private int removedCount;
    /** Side effects not among the packed ones (reported since the snapshot, or removed and reported again). */
    private final LinkedHashMap<String, SideEffectEntry> added;

    private static final SideEffectEntry REMOVED = new SideEffectEntry(null, null, null, null, null, null, null);

    SideEffects(int capacity) {
        this(0, PackedIds.empty(), PackedIds.empty(), PackedIds.empty(), new byte[0], Map.of(), new byte[0],
                new SideEffectType[0], new Zone[0], IdLookup.empty(), IdLookup.empty(), IdLookup.empty(), capacity);
    }

    private SideEffects(int count, PackedIds entryIds, PackedIds ids, PackedIds resolutionIds, byte[] times,
                        Map<Integer, Instant> timesApart, byte[] kinds, SideEffectType[] types, Zone[] zones,
                        IdLookup byId, IdLookup byEntryId, IdLookup byResolutionId, int capacity) {
        this.count = count;
        this.entryIds = entryIds;
        this.ids = ids;
        this.resolutionIds = resolutionIds;
        this.times = times;
        this.timesApart = timesApart;
        this.kinds = kinds;
        this.types = types;
        this.zones = zones;
        this.byId = byId;
        this.byEntryId = byEntryId;
        this.byResolutionId = byResolutionId;
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
    Collection<SideEffectEntry> values() {
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
        int i = byId.indexOf(sideEffectId);
        return i < 0 || current[i] == REMOVED ? -1 : i;
    }

    /**
     * The side effect id that the snapshot's side effects record as reported by entry {@code entryId}, as the
     * snapshot stored it (whatever happened since), or null.
     */
    String storedReportOf(String entryId) {
        int i = byEntryId.indexOf(entryId);
        return i < 0 ? null : ids.get(i);
    }

    /** Likewise for the entry recorded as their resolution. */
    String storedResolutionOf(String entryId) {
        int i = byResolutionId.indexOf(entryId);
        return i < 0 ? null : ids.get(i);
    }

    /** Every (entry id, side effect id) of {@link #storedReportOf} and then of {@link #storedResolutionOf}. */
    void forEachStored(BiConsumer<String, String> reports, BiConsumer<String, String> resolutions) {
        for (int i = 0; i < count; i++) {
            String entryId = entryIds.get(i);
            if (entryId != null) reports.accept(entryId, ids.get(i));
        }
        for (int i = 0; i < count; i++) {
            String entryId = resolutionIds.get(i);
            if (entryId != null) resolutions.accept(entryId, ids.get(i));
        }
    }

    private SideEffectEntry at(int i) {
        SideEffectEntry e = current[i];
        if (e == null) {
            int type = PackedBytes.readByte(kinds, i * 2);
            int zone = PackedBytes.readByte(kinds, i * 2 + 1);
            e = new SideEffectEntry(entryIds.get(i), ids.get(i), instant(i * 2), type == 0 ? null : types[type - 1],
                    zone == 0 ? null : zones[zone - 1], resolutionIds.get(i), instant(i * 2 + 1));
            current[i] = e;
        }
        return e;
    }

    /** Instant {@code k}: position * 2, + 1 for the resolution. */
    private Instant instant(int k) {
        long nanos = PackedBytes.readLong(times, k * 8);
        if (nanos != NONE) return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
        return timesApart.isEmpty() ? null : timesApart.get(k);
    }

    private static final long NONE = Long.MIN_VALUE;
    private static final long NANOS = 1_000_000_000L;
    // Strictly inside these bounds seconds * 1e9 + nanos fits a long and is not NONE.
    private static final long MIN_SECOND = Long.MIN_VALUE / NANOS + 1;
    private static final long MAX_SECOND = Long.MAX_VALUE / NANOS - 1;

    private static void putInstant(byte[] bytes, int k, Instant instant, Map<Integer, Instant> apart) {
        long nanos = NONE;
        if (instant != null && instant.getEpochSecond() > MIN_SECOND && instant.getEpochSecond() < MAX_SECOND) {
            nanos = instant.getEpochSecond() * NANOS + instant.getNano();
        } else if (instant != null) {
            apart.put(k, instant);
        }
        PackedBytes.putLong(bytes, k * 8, nanos);
    }

    // ---------------------------------------------------------------- snapshot form

    void write(JsonGenerator gen) throws IOException {
        List<SideEffectEntry> all = new ArrayList<>(values());
        int n = all.size();
        List<String> entryIdList = new ArrayList<>(n);
        List<String> idList = new ArrayList<>(n);
        List<String> resolutionList = new ArrayList<>(n);
        byte[] timeBytes = new byte[n * 16];
        Map<Integer, Instant> apart = new TreeMap<>();
        byte[] kindBytes = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            SideEffectEntry e = all.get(i);
            entryIdList.add(e.entryId());
            idList.add(e.sideEffectId());
            resolutionList.add(e.resolutionEntryId());
            putInstant(timeBytes, i * 2, e.onset(), apart);
            putInstant(timeBytes, i * 2 + 1, e.resolvedAt(), apart);
            kindBytes[i * 2] = (byte) (e.type() == null ? 0 : e.type().ordinal() + 1);
            kindBytes[i * 2 + 1] = (byte) (e.zone() == null ? 0 : e.zone().ordinal() + 1);
        }

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
        PackedBytes.writeField(gen, "times", timeBytes);
        gen.writeArrayFieldStart("timesApart");
        for (Map.Entry<Integer, Instant> e : apart.entrySet()) {
            gen.writeNumber(e.getKey());
            gen.writeString(e.getValue().toString());
        }
        gen.writeEndArray();
        PackedBytes.writeField(gen, "kinds", kindBytes);
        PackedBytes.writeField(gen, "byId", IdLookup.sortedPositions(idList));
        PackedBytes.writeField(gen, "byEntryId", IdLookup.sortedPositions(entryIdList));
        PackedBytes.writeField(gen, "byResolutionId", IdLookup.sortedPositions(resolutionList));
        gen.writeEndObject();
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
        byte[] times = new byte[0];
        Map<Integer, Instant> timesApart = new HashMap<>();
        byte[] kinds = new byte[0];
        byte[] byId = new byte[0];
        byte[] byEntryId = new byte[0];
        byte[] byResolutionId = new byte[0];
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
                case "times" -> times = PackedBytes.readBinary(p, ctxt);
                case "kinds" -> kinds = PackedBytes.readBinary(p, ctxt);
                case "timesApart" -> {
                    expect(p, ctxt, JsonToken.START_ARRAY);
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        int k = p.getIntValue();
                        p.nextToken();
                        timesApart.put(k, Instant.parse(readString(p, ctxt)));
                    }
                }
                case "byId" -> byId = PackedBytes.readBinary(p, ctxt);
                case "byEntryId" -> byEntryId = PackedBytes.readBinary(p, ctxt);
                case "byResolutionId" -> byResolutionId = PackedBytes.readBinary(p, ctxt);
                default -> p.skipChildren();
            }
        }
        if (entryIds.size() != n || ids.size() != n || resolutionIds.size() != n
                || times.length != n * 16 || kinds.length != n * 2) {
            return (SideEffects) ctxt.reportInputMismatch(Timeline.class, "side effects: columns do not hold %d entries", n);
        }
        // Checked once here, so decoding a position later cannot meet an unknown code.
        for (int i = 0; i < n; i++) {
            int type = PackedBytes.readByte(kinds, i * 2);
            int zone = PackedBytes.readByte(kinds, i * 2 + 1);
            if (type > types.size() || zone > zones.size()) {
                return (SideEffects) ctxt.reportInputMismatch(Timeline.class, "side effects: bad type or zone code");
            }
        }
        return new SideEffects(n, entryIds, ids, resolutionIds, times, timesApart, kinds, types.toArray(new SideEffectType[0]),
                zones.toArray(new Zone[0]), IdLookup.of(ids, byId, ctxt), IdLookup.of(entryIds, byEntryId, ctxt),
                IdLookup.of(resolutionIds, byResolutionId, ctxt), extra);
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
