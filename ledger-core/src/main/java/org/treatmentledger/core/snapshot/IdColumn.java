package org.treatmentledger.core.snapshot;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A column of ids in a snapshot: the canonical UUIDs as their 16 bytes, the other ids (and nulls) by position.
 *
 * @param uuids  16 bytes per position (zeros where {@code others} has the id)
 * @param others the positions that hold no canonical UUID, with their id or null
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"uuids", "others"})
record IdColumn(byte[] uuids, Map<Integer, String> others) {

    IdColumn {
        uuids = uuids == null ? new byte[0] : uuids;
        others = others == null ? Map.of() : others;
        if (uuids.length % 16 != 0) throw new IllegalArgumentException("snapshot id column: " + uuids.length + " bytes");
        int size = uuids.length / 16;
        for (Integer position : others.keySet()) {
            if (position == null || position < 0 || position >= size) {
                throw new IllegalArgumentException("snapshot id column: position " + position + " of " + size);
            }
        }
    }

    static IdColumn of(List<String> ids) {
        byte[] uuids = new byte[ids.size() * 16];
        Map<Integer, String> others = new HashMap<>();
        long[] uuid = new long[2];
        for (int i = 0; i < ids.size(); i++) {
            if (Uuids.parse(ids.get(i), uuid)) Uuids.put(uuids, i, uuid[0], uuid[1]);
            else others.put(i, ids.get(i));
        }
        return new IdColumn(uuids, others);
    }

    int size() { return uuids.length / 16; }

    boolean isUuidAt(int i) { return others.isEmpty() || !others.containsKey(i); }

    String get(int i) { return isUuidAt(i) ? Uuids.format(hi(i), lo(i)) : others.get(i); }

    long hi(int i) { return Uuids.hi(uuids, i); }

    long lo(int i) { return Uuids.lo(uuids, i); }
}
