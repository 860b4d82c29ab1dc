package org.treatmentledger.core.serialization;

import com.fasterxml.jackson.databind.DeserializationContext;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds an id's position in a {@link PackedIds} column that is not sorted (the snapshot keeps another order):
 * the positions of its UUIDs sorted by UUID, 4 bytes each (a packed column, {@link PackedBytes}), searched in place; its other ids in
 * a small map. Nulls are not found. Stored beside the column, so loading sorts nothing.
 */
public final class IdLookup {

    private final PackedIds column;
    private final byte[] sorted;
    private final int count;
    private final Map<String, Integer> others;

    private IdLookup(PackedIds column, byte[] sorted, int count, Map<String, Integer> others) {
        this.column = column;
        this.sorted = sorted;
        this.count = count;
        this.others = others;
    }

    public static IdLookup empty() { return new IdLookup(PackedIds.empty(), new byte[0], 0, Map.of()); }

    /** The position of {@code id} in the column, or -1. */
    public int indexOf(String id) {
        if (id == null) return -1;
        if (!PackedIds.isUuid(id)) {
            Integer position = others.get(id);
            return position == null ? -1 : position;
        }
        long hi = PackedIds.hi(id);
        long lo = PackedIds.lo(id);
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int position = PackedBytes.readInt(sorted, mid * 4);
            int c = PackedIds.compare(column.hi(position), column.lo(position), hi, lo);
            if (c < 0) low = mid + 1;
            else if (c > 0) high = mid - 1;
            else return position;
        }
        return -1;
    }

    /** The sorted positions to store beside {@code ids} (written with {@link PackedIds#write}). */
    public static byte[] sortedPositions(List<String> ids) {
        long[][] keys = new long[ids.size()][];
        int n = 0;
        long[] uuid = new long[2];
        for (int i = 0; i < ids.size(); i++) {
            if (PackedIds.parse(ids.get(i), uuid)) keys[n++] = new long[]{uuid[0], uuid[1], i};
        }
        long[][] uuids = Arrays.copyOf(keys, n);
        Arrays.sort(uuids, (a, b) -> PackedIds.compare(a[0], a[1], b[0], b[1]));
        byte[] bytes = new byte[n * 4];
        for (int k = 0; k < n; k++) PackedBytes.putInt(bytes, k * 4, (int) uuids[k][2]);
        return bytes;
    }

    /** Reads what {@link #sortedPositions} wrote for {@code column}. */
    public static IdLookup of(PackedIds column, byte[] sorted, DeserializationContext ctxt) throws IOException {
        int count = column.size() - column.others().size();
        if (sorted.length != count * 4) {
            return (IdLookup) ctxt.reportInputMismatch(IdLookup.class, "id lookup: %d bytes for %d ids", sorted.length, count);
        }
        // Searched in place: every position must be one of the column's UUIDs, in strictly ascending order.
        long prevHi = 0;
        long prevLo = 0;
        for (int k = 0; k < count; k++) {
            int position = PackedBytes.readInt(sorted, k * 4);
            if (position < 0 || position >= column.size() || !column.isUuidAt(position)) {
                return (IdLookup) ctxt.reportInputMismatch(IdLookup.class, "id lookup: bad position %d", position);
            }
            long h = column.hi(position);
            long l = column.lo(position);
            if (k > 0 && PackedIds.compare(prevHi, prevLo, h, l) >= 0) {
                return (IdLookup) ctxt.reportInputMismatch(IdLookup.class, "id lookup: out of order at %d", k);
            }
            prevHi = h;
            prevLo = l;
        }
        Map<String, Integer> others = new HashMap<>();
        column.others().forEach((position, id) -> { if (id != null) others.put(id, position); });
        return new IdLookup(column, sorted, count, others);
    }
}
