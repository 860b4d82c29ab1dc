package org.treatmentledger.verify.leaf;

import org.treatmentledger.verify.Encodings;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.treatmentledger.verify.merkle.Rfc9162;
import java.nio.BufferUnderflowException;

/**
 * The leaf of one stored patient event, version 1 (docs/INTEGRITY.md, "Leaf encoding", is the byte-for-byte
 * definition; this class is its one implementation):
 *
 * <pre>
 * u8      version = 0x01
 * u16     n, then n bytes  patient id (UTF-8)
 * u64     sequence number (big-endian, below 2^63)
 * u16     n, then n bytes  event type (UTF-8)
 * 32      SHA-256 of the stored payload bytes
 * 32      SHA-256 of the stored metadata bytes
 * u16     n, then n bytes  recorded time, the stored timestamp string (UTF-8)
 * 32      leaf hash of the same patient's previous event, SHA-256(0x00 || its leaf); 32 zero bytes for sequence 0
 * </pre>
 *
 * Every variable field has a length prefix and the fixed ones a fixed size, so two different events can never
 * share an encoding; decoding is strict (exact length, well-formed UTF-8, known version).
 * <p>
 * The same encoding serves both event stores the server runs on: "the stored metadata bytes" are the JDBC column's
 * bytes, or for Axon Server the encoding of its metadata map that docs/INTEGRITY.md ("Axon Server") defines, and the
 * recorded time is the same millisecond text in both. A verifier hashes the metadata bytes a bundle shows and never
 * parses them, so it checks leaves of either store alike.
 */
public record PatientEventLeaf(String patientId, long sequenceNumber, String eventType, byte[] payloadSha256,
                               byte[] metadataSha256, String recordedAt, byte[] previousLeafHash) {

    /** The first byte of a version 1 patient event leaf. Other leaf kinds (access records) use other values. */
    public static final byte VERSION_1 = 0x01;

    private static final int MAX_TEXT_BYTES = 0xFFFF;
    private static final byte[] NO_PREVIOUS = new byte[Rfc9162.HASH_SIZE];

    public PatientEventLeaf {
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (patientId.isEmpty() || eventType.isEmpty() || recordedAt.isEmpty()) {
            throw new LeafFormatException("patient id, event type and recorded time must not be empty");
        }
        if (sequenceNumber < 0) {
            throw new LeafFormatException("sequence number must not be negative: " + sequenceNumber);
        }
        payloadSha256 = hash(payloadSha256, "payload SHA-256");
        metadataSha256 = hash(metadataSha256, "metadata SHA-256");
        previousLeafHash = hash(previousLeafHash, "previous leaf hash");
        utf8(patientId, "patient id");
        utf8(eventType, "event type");
        utf8(recordedAt, "recorded time");
    }

    /** The leaf of an event from its stored bytes: hashes the payload and metadata. */
    public static PatientEventLeaf of(String patientId, long sequenceNumber, String eventType, byte[] payload,
                                      byte[] metadata, String recordedAt, byte[] previousLeafHash) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(metadata, "metadata");
        return new PatientEventLeaf(patientId, sequenceNumber, eventType, Rfc9162.sha256(payload),
                Rfc9162.sha256(metadata), recordedAt, previousLeafHash);
    }

    /** The previous-leaf value of a patient's first event: 32 zero bytes. */
    public static byte[] noPreviousLeaf() {
        return NO_PREVIOUS.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + patientId.length() + eventType.length());
        out.write(VERSION_1);
        writeText(out, utf8(patientId, "patient id"));
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(sequenceNumber).array());
        writeText(out, utf8(eventType, "event type"));
        out.writeBytes(payloadSha256);
        out.writeBytes(metadataSha256);
        writeText(out, utf8(recordedAt, "recorded time"));
        out.writeBytes(previousLeafHash);
        return out.toByteArray();
    }

    /** SHA-256(0x00 || encode()): this leaf's hash in the tree and the next event's previous-leaf value. */
    public byte[] leafHash() {
        return Rfc9162.leafHash(encode());
    }

    public static PatientEventLeaf decode(byte[] leaf) {
        Objects.requireNonNull(leaf, "leaf");
        ByteBuffer in = ByteBuffer.wrap(leaf);
        try {
            byte version = in.get();
            if (version != VERSION_1) {
                throw new LeafFormatException(String.format("unknown leaf version 0x%02x", version & 0xFF));
            }
            String patientId = readText(in, "patient id");
            long sequenceNumber = in.getLong();
            String eventType = readText(in, "event type");
            byte[] payloadSha256 = readBytes(in, Rfc9162.HASH_SIZE);
            byte[] metadataSha256 = readBytes(in, Rfc9162.HASH_SIZE);
            String recordedAt = readText(in, "recorded time");
            byte[] previous = readBytes(in, Rfc9162.HASH_SIZE);
            if (in.hasRemaining()) {
                throw new LeafFormatException(in.remaining() + " bytes after the end of the leaf");
            }
            return new PatientEventLeaf(patientId, sequenceNumber, eventType, payloadSha256, metadataSha256,
                    recordedAt, previous);
        } catch (BufferUnderflowException e) {
            throw new LeafFormatException("the leaf ends early (" + leaf.length + " bytes)");
        }
    }

    public boolean isFirstOfStream() {
        return Arrays.equals(previousLeafHash, NO_PREVIOUS);
    }

    @Override
    public byte[] payloadSha256() {
        return payloadSha256.clone();
    }

    @Override
    public byte[] metadataSha256() {
        return metadataSha256.clone();
    }

    @Override
    public byte[] previousLeafHash() {
        return previousLeafHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PatientEventLeaf other && Arrays.equals(encode(), other.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "PatientEventLeaf[patientId=" + patientId + ", sequenceNumber=" + sequenceNumber + ", eventType="
                + eventType + ", payloadSha256=" + hex.formatHex(payloadSha256) + ", metadataSha256="
                + hex.formatHex(metadataSha256) + ", recordedAt=" + recordedAt + ", previousLeafHash="
                + hex.formatHex(previousLeafHash) + "]";
    }

    private static byte[] hash(byte[] value, String what) {
        if (value == null || value.length != Rfc9162.HASH_SIZE) {
            throw new LeafFormatException(what + " must be " + Rfc9162.HASH_SIZE + " bytes");
        }
        return value.clone();
    }

    private static byte[] utf8(String text, String what) {
        byte[] bytes = Encodings.strictUtf8(text);
        if (bytes == null) throw new LeafFormatException(what + " is not valid Unicode text");
        if (bytes.length > MAX_TEXT_BYTES) {
            throw new LeafFormatException(what + " is longer than " + MAX_TEXT_BYTES + " UTF-8 bytes");
        }
        return bytes;
    }

    private static void writeText(ByteArrayOutputStream out, byte[] text) {
        out.write(text.length >>> 8);
        out.write(text.length & 0xFF);
        out.writeBytes(text);
    }

    private static String readText(ByteBuffer in, String what) {
        int length = Short.toUnsignedInt(in.getShort());
        String text = Encodings.strictUtf8(readBytes(in, length));
        if (text == null) throw new LeafFormatException(what + " is not valid UTF-8");
        return text;
    }

    private static byte[] readBytes(ByteBuffer in, int length) {
        if (in.remaining() < length) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
