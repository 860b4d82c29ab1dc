package org.treatmentledger.core.snapshot;

import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.patient.EntryRef;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The patient's entries as a snapshot stored them: a {@code Map} to the aggregate, but the entries whose id (and
 * side effect id, if any) is a canonical UUID stay in the snapshot's packed columns, found by binary search and
 * turned into strings only when a command asks for one. Building 10,000 id strings and hashing them was most of a
 * long history's cold load (W2 in docs/PERFORMANCE.md), and a command needs one or two lookups. Entries added or
 * changed since, and the rest, live in a hash map that shadows the packed ones.
 */
final class PackedEntries extends AbstractMap<String, EntryRef> {

    static final int TYPE = 0x1F;
    static final int HAS_SIDE_EFFECT = 0x40;
    static final int VOIDED = 0x80;

    /** Packed entries in UUID order, 16 bytes each. */
    private final byte[] ids;
    /** Per packed entry: its type's code | HAS_SIDE_EFFECT | VOIDED. */
    private final byte[] kinds;
    /** The side effect ids of the packed entries flagged HAS_SIDE_EFFECT, in the same order, 16 bytes each. */
    private final byte[] sideEffectIds;
    private final EntryType[] types;
    private final int count;
    /** Packed entries since replaced by one in {@link #changed} (same id). */
    private final boolean[] shadowed;
    private int shadowedCount;
    private final HashMap<String, EntryRef> changed;

    private PackedEntries(byte[] ids, byte[] kinds, byte[] sideEffectIds, EntryType[] types, HashMap<String, EntryRef> changed) {
        this.ids = ids;
        this.kinds = kinds;
        this.sideEffectIds = sideEffectIds;
        this.types = types;
        this.count = kinds.length;
        this.shadowed = new boolean[count];
        this.changed = changed;
    }

    /**
     * The entries of a snapshot's columns plus {@code rest}; refused (IllegalArgumentException) if the columns do
     * not fit each other or are out of order, which would make a search miss an entry that is there.
     */
    static PackedEntries of(List<EntryType> types, byte[] ids, byte[] kinds, byte[] sideEffectIds, Map<String, EntryRef> rest) {
        byte[] k = kinds == null ? new byte[0] : kinds;
        byte[] i = ids == null ? new byte[0] : ids;
        byte[] s = sideEffectIds == null ? new byte[0] : sideEffectIds;
        EntryType[] codes = types == null ? new EntryType[0] : types.toArray(new EntryType[0]);
        if (i.length != k.length * 16) throw new IllegalArgumentException("snapshot entries: " + k.length + " kinds for " + i.length + " id bytes");
        int flagged = 0;
        for (byte b : k) {
            int kind = b & 0xFF;
            if ((kind & TYPE) >= codes.length || codes[kind & TYPE] == null || (kind & 0x20) != 0) {
                throw new IllegalArgumentException("snapshot entries: bad kind " + kind);
            }
            if ((kind & HAS_SIDE_EFFECT) != 0) flagged++;
        }
        if (s.length != flagged * 16) throw new IllegalArgumentException("snapshot entries: " + s.length + " side effect id bytes for " + flagged);
        for (int n = 1; n < k.length; n++) {
            if (Uuids.compare(Uuids.hi(i, n - 1), Uuids.lo(i, n - 1), Uuids.hi(i, n), Uuids.lo(i, n)) >= 0) {
                throw new IllegalArgumentException("snapshot entries: packed ids out of order at " + n);
            }
        }
        HashMap<String, EntryRef> changed = new HashMap<>(Math.max(16, (rest.size() + 128) * 4 / 3));
        changed.putAll(rest);
        PackedEntries entries = new PackedEntries(i, k, s, codes, changed);
        for (String id : rest.keySet()) {
            if (entries.packedIndex(id) >= 0) throw new IllegalArgumentException("snapshot entries: " + id + " twice");
        }
        return entries;
    }

    @Override
    public EntryRef get(Object key) {
        EntryRef ref = changed.get(key);
        if (ref != null || !(key instanceof String id)) return ref;
        int i = packedIndex(id);
        return i < 0 ? null : ref(i);
    }

    @Override
    public boolean containsKey(Object key) {
        return changed.containsKey(key) || key instanceof String id && packedIndex(id) >= 0;
    }

    @Override
    public EntryRef put(String id, EntryRef ref) {
        Objects.requireNonNull(ref);
        EntryRef previous = changed.get(id);
        if (previous == null) {
            int i = packedIndex(id);
            if (i >= 0) {
                previous = ref(i);
                shadowed[i] = true;
                shadowedCount++;
            }
        }
        changed.put(id, ref);
        return previous;
    }

    @Override
    public int size() { return count - shadowedCount + changed.size(); }

    @Override
    public Set<Entry<String, EntryRef>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() { return PackedEntries.this.size(); }

            @Override
            public Iterator<Entry<String, EntryRef>> iterator() {
                Iterator<Entry<String, EntryRef>> rest = changed.entrySet().iterator();
                return new Iterator<>() {
                    private int i = next(0);

                    private int next(int from) {
                        int n = from;
                        while (n < count && shadowed[n]) n++;
                        return n;
                    }

                    @Override
                    public boolean hasNext() { return i < count || rest.hasNext(); }

                    @Override
                    public Entry<String, EntryRef> next() {
                        if (i < count) {
                            Entry<String, EntryRef> e = Map.entry(Uuids.format(Uuids.hi(ids, i), Uuids.lo(ids, i)), ref(i));
                            i = next(i + 1);
                            return e;
                        }
                        if (!rest.hasNext()) throw new NoSuchElementException();
                        return rest.next();
                    }
                };
            }
        };
    }

    private int packedIndex(String id) {
        if (count == 0) return -1;
        long[] uuid = new long[2];
        if (!Uuids.parse(id, uuid)) return -1;
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Uuids.compare(Uuids.hi(ids, mid), Uuids.lo(ids, mid), uuid[0], uuid[1]);
            if (c < 0) low = mid + 1;
            else if (c > 0) high = mid - 1;
            else return shadowed[mid] ? -1 : mid;
        }
        return -1;
    }

    private EntryRef ref(int i) {
        int kind = kinds[i] & 0xFF;
        String sideEffectId = null;
        if ((kind & HAS_SIDE_EFFECT) != 0) {
            // Its rank among the flagged entries: a scan, but only a correction's target needs it.
            int rank = 0;
            for (int n = 0; n < i; n++) if ((kinds[n] & HAS_SIDE_EFFECT) != 0) rank++;
            sideEffectId = Uuids.format(Uuids.hi(sideEffectIds, rank), Uuids.lo(sideEffectIds, rank));
        }
        EntryRef ref = EntryRef.of(types[kind & TYPE], sideEffectId);
        return (kind & VOIDED) == 0 ? ref : ref.asVoided();
    }
}
