package org.treatmentledger.verify.leaf;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.treatmentledger.verify.Encodings;
import org.treatmentledger.verify.merkle.Rfc9162;

/**
 * The leaf of one access record, version 2 (docs/INTEGRITY.md, "Access records", is the byte-for-byte definition;
 * this class is its one implementation). Access records are the leaves of a tree of their own, so the first byte
 * (0x02) keeps an access leaf from ever being read as a patient event leaf (0x01) or the other way round:
 *
 * <pre>
 * u8      version = 0x02
 * u64     record id (the access log's id, big-endian)
 * text    at: the instant the request was answered, ISO-8601 UTC as the server wrote it
 * text    user
 * opt     role
 * opt     clinic: the patient's clinic (absent when no such patient exists)
 * u16     n, then n texts  the caller's clinics, in the order recorded
 * opt     patient id (absent for a refused registration)
 * u64     the record's position among the records of the same patient (from 0); records without a patient form
 *         one sequence of their own
 * text    action
 * text    resource (method, path and query)
 * u16     HTTP status
 * text    purpose of use
 * 32      leaf hash of the same patient's previous record; 32 zero bytes for position 0
 * </pre>
 *
 * text = u32 length (big-endian) then that many UTF-8 bytes; opt = one byte 0 (absent) or 1 followed by a text.
 */
public record AccessRecordLeaf(long recordId, String at, String user, String role, String clinic,
                               List<String> callerClinics, String patientId, long patientSequence, String action,
                               String resource, int status, String purpose, byte[] previousLeafHash) {

    /** The first byte of an access record leaf. */
    public static final byte VERSION_2 = 0x02;

    private static final byte[] NO_PREVIOUS = new byte[Rfc9162.HASH_SIZE];

    public AccessRecordLeaf {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(purpose, "purpose");
        callerClinics = List.copyOf(callerClinics);
        if (recordId < 0 || patientSequence < 0) {
            throw new LeafFormatException("record id and position must not be negative");
        }
        if (status < 0 || status > 0xFFFF) throw new LeafFormatException("status out of range: " + status);
        if (callerClinics.size() > 0xFFFF) throw new LeafFormatException("too many caller clinics");
        if (previousLeafHash == null || previousLeafHash.length != Rfc9162.HASH_SIZE) {
            throw new LeafFormatException("previous leaf hash must be " + Rfc9162.HASH_SIZE + " bytes");
        }
        previousLeafHash = previousLeafHash.clone();
        for (String text : new String[]{at, user, role, clinic, patientId, action, resource, purpose}) {
            if (text != null && Encodings.strictUtf8(text) == null) {
                throw new LeafFormatException("a field is not valid Unicode text");
            }
        }
        for (String c : callerClinics) {
            if (c == null || Encodings.strictUtf8(c) == null) throw new LeafFormatException("a caller clinic is not text");
        }
    }

    /** The previous-leaf value of a patient's first record: 32 zero bytes. */
    public static byte[] noPreviousLeaf() {
        return NO_PREVIOUS.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + resource.length());
        out.write(VERSION_2);
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(recordId).array());
        text(out, at);
        text(out, user);
        optional(out, role);
        optional(out, clinic);
        out.write(callerClinics.size() >>> 8);
        out.write(callerClinics.size() & 0xFF);
        for (String c : callerClinics) text(out, c);
        optional(out, patientId);
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(patientSequence).array());
        text(out, action);
        text(out, resource);
        out.write(status >>> 8);
        out.write(status & 0xFF);
        text(out, purpose);
        out.writeBytes(previousLeafHash);
        return out.toByteArray();
    }

    /** SHA-256(0x00 || encode()): this leaf's hash in the tree and the next record's previous-leaf value. */
    public byte[] leafHash() {
        return Rfc9162.leafHash(encode());
    }

    public static AccessRecordLeaf decode(byte[] leaf) {
        Objects.requireNonNull(leaf, "leaf");
        ByteBuffer in = ByteBuffer.wrap(leaf);
        try {
            byte version = in.get();
            if (version != VERSION_2) {
                throw new LeafFormatException(String.format("not an access record leaf (version 0x%02x)", version & 0xFF));
            }
            long id = in.getLong();
            String at = readText(in);
            String user = readText(in);
            String role = readOptional(in);
            String clinic = readOptional(in);
            int n = Short.toUnsignedInt(in.getShort());
            List<String> callers = new ArrayList<>(n);
            for (int i = 0; i < n; i++) callers.add(readText(in));
            String patient = readOptional(in);
            long sequence = in.getLong();
            String action = readText(in);
            String resource = readText(in);
            int status = Short.toUnsignedInt(in.getShort());
            String purpose = readText(in);
            byte[] previous = readBytes(in, Rfc9162.HASH_SIZE);
            if (in.hasRemaining()) throw new LeafFormatException(in.remaining() + " bytes after the end of the leaf");
            return new AccessRecordLeaf(id, at, user, role, clinic, callers, patient, sequence, action, resource,
                    status, purpose, previous);
        } catch (BufferUnderflowException e) {
            throw new LeafFormatException("the leaf ends early (" + leaf.length + " bytes)");
        }
    }

    @Override
    public byte[] previousLeafHash() {
        return previousLeafHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessRecordLeaf other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    private static void text(ByteArrayOutputStream out, String text) {
        byte[] bytes = Encodings.strictUtf8(text);
        out.writeBytes(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static void optional(ByteArrayOutputStream out, String text) {
        if (text == null) {
            out.write(0);
        } else {
            out.write(1);
            text(out, text);
        }
    }

    private static String readText(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) throw new LeafFormatException("a text length is negative");
        String text = Encodings.strictUtf8(readBytes(in, length));
        if (text == null) throw new LeafFormatException("a text is not valid UTF-8");
        return text;
    }

    private static String readOptional(ByteBuffer in) {
        byte present = in.get();
        if (present == 0) return null;
        if (present != 1) throw new LeafFormatException("an optional field's flag is neither 0 nor 1");
        return readText(in);
    }

    private static byte[] readBytes(ByteBuffer in, int length) {
        if (in.remaining() < length) throw new BufferUnderflowException();
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
