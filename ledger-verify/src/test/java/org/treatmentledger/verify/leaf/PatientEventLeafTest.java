package org.treatmentledger.verify.leaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.treatmentledger.verify.merkle.Rfc9162;

class PatientEventLeafTest {

    private static final HexFormat HEX = HexFormat.of();

    private static final String PATIENT = "6f1c2a7e-3b4d-4e8f-9a01-23456789abcd";
    private static final String TYPE = "org.treatmentledger.core.api.InjectionRecorded";
    private static final byte[] PAYLOAD = "{\"units\":20}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA = "{\"recordedBy\":\"injector\"}".getBytes(StandardCharsets.UTF_8);
    private static final String RECORDED_AT = "2026-03-02T09:30:00.123Z";
    private static final byte[] PREVIOUS = filled(0x11);

    /**
     * The worked example of docs/INTEGRITY.md, field by field. The expected bytes and hash were computed with Python's
     * struct and hashlib from the documented layout, not with this code.
     */
    @Test
    void encodesTheDocumentedExampleByteForByte() {
        String expected = "01"
                + "0024" + HEX.formatHex(PATIENT.getBytes(StandardCharsets.UTF_8))
                + "0000000000000002"
                + "002e" + HEX.formatHex(TYPE.getBytes(StandardCharsets.UTF_8))
                + "b015eda7e7d71f7d42ee5b85f857bedfe35b81a224dc068d3ab48da815070bcd"
                + "f64729f29378484ba14b766951a22fb74ce398aa800ca1c824dc6c332a8d336b"
                + "0018" + HEX.formatHex(RECORDED_AT.getBytes(StandardCharsets.UTF_8))
                + "11".repeat(32);
        PatientEventLeaf leaf = PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS);

        assertThat(HEX.formatHex(leaf.encode())).isEqualTo(expected);
        assertThat(leaf.encode()).hasSize(217);
        assertThat(HEX.formatHex(leaf.leafHash()))
                .isEqualTo("e4449875852f208386949d9cc2ed73eede04f1d88da00c0281a56b0f3ba0b790");
        assertThat(leaf.leafHash()).isEqualTo(Rfc9162.leafHash(leaf.encode()));
    }

    @Test
    void decodesWhatItEncodes() {
        PatientEventLeaf leaf = PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS);
        PatientEventLeaf decoded = PatientEventLeaf.decode(leaf.encode());

        assertThat(decoded).isEqualTo(leaf);
        assertThat(decoded.patientId()).isEqualTo(PATIENT);
        assertThat(decoded.sequenceNumber()).isEqualTo(2);
        assertThat(decoded.eventType()).isEqualTo(TYPE);
        assertThat(decoded.payloadSha256()).isEqualTo(Rfc9162.sha256(PAYLOAD));
        assertThat(decoded.metadataSha256()).isEqualTo(Rfc9162.sha256(METADATA));
        assertThat(decoded.recordedAt()).isEqualTo(RECORDED_AT);
        assertThat(decoded.previousLeafHash()).isEqualTo(PREVIOUS);
        assertThat(decoded.isFirstOfStream()).isFalse();
    }

    @Test
    void theFirstEventOfAStreamNamesThirtyTwoZeroBytes() {
        PatientEventLeaf first = PatientEventLeaf.of(PATIENT, 0, TYPE, PAYLOAD, METADATA, RECORDED_AT,
                PatientEventLeaf.noPreviousLeaf());
        byte[] bytes = first.encode();

        assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)).isEqualTo(new byte[32]);
        assertThat(first.isFirstOfStream()).isTrue();
    }

    @Test
    void lengthPrefixesKeepFieldBoundariesApart() {
        // Without prefixes these two would concatenate to the same text "abc".
        PatientEventLeaf one = PatientEventLeaf.of("ab", 0, "c", PAYLOAD, METADATA, RECORDED_AT, PREVIOUS);
        PatientEventLeaf two = PatientEventLeaf.of("a", 0, "bc", PAYLOAD, METADATA, RECORDED_AT, PREVIOUS);

        assertThat(one.encode()).isNotEqualTo(two.encode());
        assertThat(PatientEventLeaf.decode(one.encode()).patientId()).isEqualTo("ab");
        assertThat(PatientEventLeaf.decode(two.encode()).patientId()).isEqualTo("a");
    }

    @Test
    void everyFieldChangesTheLeaf() {
        byte[] base = PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS).encode();
        byte[] otherPayload = PAYLOAD.clone();
        otherPayload[3] ^= 1;
        byte[] otherPrevious = PREVIOUS.clone();
        otherPrevious[31] ^= 1;

        assertThat(PatientEventLeaf.of(PATIENT + "x", 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS).encode())
                .isNotEqualTo(base);
        assertThat(PatientEventLeaf.of(PATIENT, 3, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS).encode())
                .isNotEqualTo(base);
        assertThat(PatientEventLeaf.of(PATIENT, 2, TYPE + "2", PAYLOAD, METADATA, RECORDED_AT, PREVIOUS).encode())
                .isNotEqualTo(base);
        assertThat(PatientEventLeaf.of(PATIENT, 2, TYPE, otherPayload, METADATA, RECORDED_AT, PREVIOUS).encode())
                .isNotEqualTo(base);
        assertThat(PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, PAYLOAD, RECORDED_AT, PREVIOUS).encode())
                .isNotEqualTo(base);
        // The same instant spelled differently is a different stored value, and a different leaf.
        assertThat(PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, "2026-03-02T09:30:00.123+00:00",
                PREVIOUS).encode()).isNotEqualTo(base);
        assertThat(PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, otherPrevious).encode())
                .isNotEqualTo(base);
    }

    @Test
    void decodingIsStrict() {
        byte[] good = PatientEventLeaf.of(PATIENT, 2, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS).encode();

        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertThatThrownBy(() -> PatientEventLeaf.decode(truncated)).as("length %d", length)
                    .isInstanceOf(LeafFormatException.class);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> PatientEventLeaf.decode(longer)).hasMessageContaining("after the end");

        byte[] version2 = good.clone();
        version2[0] = 0x02;
        assertThatThrownBy(() -> PatientEventLeaf.decode(version2)).hasMessageContaining("version 0x02");

        byte[] badUtf8 = good.clone();
        badUtf8[3] = (byte) 0xC3; // a lead byte followed by an ASCII byte
        assertThatThrownBy(() -> PatientEventLeaf.decode(badUtf8)).hasMessageContaining("not valid UTF-8");

        byte[] negative = good.clone();
        negative[3 + PATIENT.length()] = (byte) 0x80; // the sequence number's top byte
        assertThatThrownBy(() -> PatientEventLeaf.decode(negative)).hasMessageContaining("negative");
    }

    @Test
    void refusesFieldsThatHaveNoEncoding() {
        assertThatThrownBy(() -> PatientEventLeaf.of("", 0, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS))
                .isInstanceOf(LeafFormatException.class);
        assertThatThrownBy(() -> PatientEventLeaf.of(PATIENT, -1, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS))
                .isInstanceOf(LeafFormatException.class);
        assertThatThrownBy(() -> PatientEventLeaf.of("x".repeat(65_536), 0, TYPE, PAYLOAD, METADATA, RECORDED_AT,
                PREVIOUS)).hasMessageContaining("longer than 65535");
        assertThatThrownBy(() -> PatientEventLeaf.of("\uD800", 0, TYPE, PAYLOAD, METADATA, RECORDED_AT, PREVIOUS))
                .hasMessageContaining("not valid Unicode");
        assertThatThrownBy(() -> PatientEventLeaf.of(PATIENT, 0, TYPE, PAYLOAD, METADATA, RECORDED_AT, new byte[31]))
                .hasMessageContaining("32 bytes");
        // The longest allowed text still round-trips.
        String longest = "y".repeat(65_535);
        assertThat(PatientEventLeaf.decode(PatientEventLeaf.of(longest, 0, TYPE, PAYLOAD, METADATA, RECORDED_AT,
                PREVIOUS).encode()).patientId()).isEqualTo(longest);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
