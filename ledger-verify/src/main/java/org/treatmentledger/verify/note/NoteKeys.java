package org.treatmentledger.verify.note;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.treatmentledger.verify.merkle.Rfc9162;

/** Key IDs of c2sp.org/signed-note. */
public final class NoteKeys {

    /** The signature type identifier byte of Ed25519 in signed notes. */
    public static final byte ED25519 = 0x01;

    private NoteKeys() {
    }

    /** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4], read big-endian. */
    public static int ed25519KeyId(String name, byte[] publicKey) {
        if (publicKey == null || publicKey.length != Ed25519.KEY_SIZE) {
            throw new NoteFormatException("an Ed25519 public key is " + Ed25519.KEY_SIZE + " bytes");
        }
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(NoteText.utf8(name));
        in.write('\n');
        in.write(ED25519);
        in.writeBytes(publicKey);
        return ByteBuffer.wrap(Rfc9162.sha256(in.toByteArray()), 0, 4).getInt();
    }

    /** The key ID as vkeys and this project's JSON write it: 8 lowercase hex digits. */
    public static String hex(int keyId) {
        return String.format("%08x", keyId);
    }
}
