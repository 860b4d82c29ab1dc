package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.treatmentledger.core.api.SideEffectType;
import org.treatmentledger.core.api.Zone;
import org.treatmentledger.core.rules.timeline.SideEffectEntry;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The timeline's side effects as a snapshot stored them: to the timeline a map by side effect id in the order
 * first reported (a LinkedHashMap's behaviour), but the stored ones stay in the snapshot's columns and become
 * {@link SideEffectEntry} objects one at a time, when a command looks one up or a rule walks them. Decoding every
 * one (three id strings, two instants) on each cold load of a long history cost more than the rest of the load
 * (W2 in docs/PERFORMANCE.md). Side effects reported since, or reported again after a removal, live in a map.
 */
final class PackedSideEffects extends AbstractMap<String, SideEffectEntry> {

    /**
     * The stored columns, one position per side effect in recorded order.
     *
     * @param seconds two per position, epoch seconds of the onset and of the resolution
     * @param nanos   likewise their nanos, -1 for no instant
     * @param kinds   two per position, the type's and the zone's code + 1 (0: none)
     * @param byId    the positions whose side effect id is a UUID, sorted by that UUID (searched in place)
     */
    @JsonPropertyOrder({"types", "zones", "entryIds", "ids", "resolutionIds", "seconds", "nanos", "kinds", "byId"})
    record Columns(List<SideEffectType> types, List<Zone> zones, IdColumn entryIds, IdColumn ids, IdColumn resolutionIds,
                   long[] seconds, int[] nanos, byte[] kinds, int[] byId) {

        static Columns of(List<SideEffectEntry> all) {
            int n = all.size();
            List<String> entryIds = new ArrayList<>(n);
            List<String> ids = new ArrayList<>(n);
            List<String> resolutionIds = new ArrayList<>(n);
            long[] seconds = new long[n * 2];
            int[] nanos = new int[n * 2];
            byte[] kinds = new byte[n * 2];
            for (int i = 0; i < n; i++) {
                SideEffectEntry e = all.get(i);
                entryIds.add(e.entryId());
                ids.add(e.sideEffectId());
                resolutionIds.add(e.resolutionEntryId());
                putInstant(seconds, nanos, i * 2, e.onset());
                putInstant(seconds, nanos, i * 2 + 1, e.resolvedAt());
                kinds[i * 2] = (byte) (e.type() == null ? 0 : e.type().ordinal() + 1);
                kinds[i * 2 + 1] = (byte) (e.zone() == null ? 0 : e.zone().ordinal() + 1);
            }
            IdColumn idColumn = IdColumn.of(ids);
            List<long[]> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) if (idColumn.isUuidAt(i)) keys.add(new long[]{idColumn.hi(i), idColumn.lo(i), i});
            keys.sort((a, b) -> Uuids.compare(a[0], a[1], b[0], b[1]));
            int[] byId = new int[keys.size()];
            for (int k = 0; k < byId.length; k++) byId[k] = (int) keys.get(k)[2];
            return new Columns(List.of(SideEffectType.values()), List.of(Zone.values()), IdColumn.of(entryIds), idColumn,
                    IdColumn.of(resolutionIds), seconds, nanos, kinds, byId);
        }

        private static void putInstant(long[] seconds, int[] nanos, int k, Instant instant) {
            seconds[k] = instant == null ? 0 : instant.getEpochSecond();
            nanos[k] = instant == null ? -1 : instant.getNano();
        }
    }

    private static final SideEffectEntry REMOVED = new SideEffectEntry(null, null, null, null, null, null, null);

    private final Columns columns;
    private final int count;
    private final SideEffectType[] types;
    private final Zone[] zones;
    private final Map<String, Integer> otherIds = new HashMap<>();
    /** Stored positions once decoded or replaced; REMOVED once removed. */
    private final SideEffectEntry[] current;
    private int removedCount;
    private final LinkedHashMap<String, SideEffectEntry> added = new LinkedHashMap<>();

    /** Refused (IllegalArgumentException) if the columns do not fit each other, or the lookup is out of order. */
    PackedSideEffects(Columns columns) {
        this.columns = Objects.requireNonNull(columns);
        this.types = columns.types() == null ? new SideEffectType[0] : columns.types().toArray(new SideEffectType[0]);
        this.zones = columns.zones() == null ? new Zone[0] : columns.zones().toArray(new Zone[0]);
        IdColumn ids = required(columns.ids());
        this.count = ids.size();
        if (required(columns.entryIds()).size() != count || required(columns.resolutionIds()).size() != count
                || columns.seconds() == null || columns.seconds().length != count * 2
                || columns.nanos() == null || columns.nanos().length != count * 2
                || columns.kinds() == null || columns.kinds().length != count * 2 || columns.byId() == null) {
            throw new IllegalArgumentException("snapshot side effects: columns do not hold " + count + " side effects");
        }
        for (int k = 0; k < count * 2; k++) {
            int code = columns.kinds()[k] & 0xFF;
            if (code > (k % 2 == 0 ? types.length : zones.length)) throw new IllegalArgumentException("snapshot side effects: bad code " + code);
            int nano = columns.nanos()[k];
            if (nano < -1 || nano > 999_999_999) {
                throw new IllegalArgumentException("snapshot side effects: bad instant at " + k);
            }
        }
        // Searched in place: every position must hold a UUID, in strictly ascending order, and all of them be there.
        int[] byId = columns.byId();
        if (byId.length != count - ids.others().size()) throw new IllegalArgumentException("snapshot side effects: lookup of " + byId.length);
        for (int k = 0; k < byId.length; k++) {
            int p = byId[k];
            if (p < 0 || p >= count || !ids.isUuidAt(p)) throw new IllegalArgumentException("snapshot side effects: bad position " + p);
            if (k > 0 && Uuids.compare(ids.hi(byId[k - 1]), ids.lo(byId[k - 1]), ids.hi(p), ids.lo(p)) >= 0) {
                throw new IllegalArgumentException("snapshot side effects: lookup out of order at " + k);
            }
        }
        ids.others().forEach((position, id) -> {
            if (otherIds.put(id, position) != null) throw new IllegalArgumentException("snapshot side effects: " + id + " twice");
        });
        this.current = new SideEffectEntry[count];
    }

    private static IdColumn required(IdColumn column) {
        if (column == null) throw new IllegalArgumentException("snapshot side effects: a column is missing");
        return column;
    }

    @Override
    public SideEffectEntry get(Object key) {
        SideEffectEntry e = added.get(key);
        if (e != null || !(key instanceof String) && key != null) return e;
        int i = packedIndex((String) key);
        return i < 0 ? null : at(i);
    }

    @Override
    public boolean containsKey(Object key) { return get(key) != null; }

    @Override
    public SideEffectEntry put(String key, SideEffectEntry entry) {
        Objects.requireNonNull(entry);
        if (!added.containsKey(key)) {
            int i = packedIndex(key);
            if (i >= 0) {
                SideEffectEntry previous = at(i);
                current[i] = entry; // replacing keeps the position, as a LinkedHashMap does
                return previous;
            }
        }
        return added.put(key, entry);
    }

    @Override
    public SideEffectEntry remove(Object key) {
        SideEffectEntry e = added.remove(key);
        if (e != null || !(key instanceof String) && key != null) return e;
        int i = packedIndex((String) key);
        if (i < 0) return null;
        SideEffectEntry previous = at(i);
        current[i] = REMOVED;
        removedCount++;
        return previous;
    }

    @Override
    public int size() { return count - removedCount + added.size(); }

    @Override
    public Set<Entry<String, SideEffectEntry>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() { return PackedSideEffects.this.size(); }

            @Override
            public Iterator<Entry<String, SideEffectEntry>> iterator() {
                Iterator<Entry<String, SideEffectEntry>> rest = added.entrySet().iterator();
                return new Iterator<>() {
                    private int i = next(0);

                    private int next(int from) {
                        int n = from;
                        while (n < count && current[n] == REMOVED) n++;
                        return n;
                    }

                    @Override
                    public boolean hasNext() { return i < count || rest.hasNext(); }

                    @Override
                    public Entry<String, SideEffectEntry> next() {
                        if (i < count) {
                            SideEffectEntry e = at(i);
                            i = next(i + 1);
                            return new SimpleImmutableEntry<>(e.sideEffectId(), e);
                        }
                        if (!rest.hasNext()) throw new NoSuchElementException();
                        return rest.next();
                    }
                };
            }
        };
    }

    /** The stored position holding {@code sideEffectId} and not removed, or -1. */
    private int packedIndex(String sideEffectId) {
        if (count == 0) return -1;
        int i = lookup(sideEffectId);
        return i < 0 || current[i] == REMOVED ? -1 : i;
    }

    private int lookup(String sideEffectId) {
        long[] uuid = new long[2];
        if (!Uuids.parse(sideEffectId, uuid)) {
            Integer position = otherIds.get(sideEffectId);
            return position == null ? -1 : position;
        }
        IdColumn ids = columns.ids();
        int[] byId = columns.byId();
        int low = 0;
        int high = byId.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Uuids.compare(ids.hi(byId[mid]), ids.lo(byId[mid]), uuid[0], uuid[1]);
            if (c < 0) low = mid + 1;
            else if (c > 0) high = mid - 1;
            else return byId[mid];
        }
        return -1;
    }

    private SideEffectEntry at(int i) {
        SideEffectEntry e = current[i];
        if (e == null) {
            int type = columns.kinds()[i * 2] & 0xFF;
            int zone = columns.kinds()[i * 2 + 1] & 0xFF;
            e = new SideEffectEntry(columns.entryIds().get(i), columns.ids().get(i), instant(i * 2),
                    type == 0 ? null : types[type - 1], zone == 0 ? null : zones[zone - 1],
                    columns.resolutionIds().get(i), instant(i * 2 + 1));
            current[i] = e;
        }
        return e;
    }

    private Instant instant(int k) {
        int nano = columns.nanos()[k];
        return nano < 0 ? null : Instant.ofEpochSecond(columns.seconds()[k], nano);
    }

    @Override
    public String toString() { return "PackedSideEffects" + Arrays.toString(new int[]{count, removedCount, added.size()}); }
}
