package org.treatmentledger.api.erasure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.treatmentledger.core.personaldata.AesGcm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys: the current one wraps new data keys (and rewraps old ones in a rotation), the previous
 * ones only unwrap. A KEK's id is the first 8 bytes of its SHA-256, so the key table names its KEK without any
 * configuration to keep in step. Wrapping is AES-256-GCM with the data key's id as associated data, so a wrapped key
 * copied to another patient's row does not unwrap.
 */
public final class KeyEncryptionKeys {

    private static final Logger log = LoggerFactory.getLogger(KeyEncryptionKeys.class);
    private static final int NONCE = AesGcm.NONCE_BYTES;

    private final String currentId;
    private final Map<String, SecretKey> byId;
    private final boolean generated;

    KeyEncryptionKeys(byte[] current, Iterable<byte[]> previous, boolean generated) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        this.currentId = idOf(current);
        keys.put(currentId, new SecretKeySpec(current, "AES"));
        for (byte[] p : previous) keys.putIfAbsent(idOf(p), new SecretKeySpec(p, "AES"));
        this.byId = Map.copyOf(keys);
        this.generated = generated;
    }

    /** The KEKs as configured; creates the development KEK at {@code generatedFile} (with a WARN) when none is. */
    static KeyEncryptionKeys load(ErasureProperties properties, Path generatedFile) {
        java.util.List<byte[]> previous = properties.previousKeks().stream().map(KeyEncryptionKeys::read).toList();
        if (properties.kek() != null && !properties.kek().isBlank()) {
            KeyEncryptionKeys keys = new KeyEncryptionKeys(read(properties.kek()), previous, false);
            log.info("Patients' data keys are wrapped by KEK {} ({} more for unwrapping)", keys.currentId, keys.byId.size() - 1);
            return keys;
        }
        boolean created = createIfMissing(generatedFile);
        KeyEncryptionKeys keys = new KeyEncryptionKeys(read(generatedFile.toString()), previous, true);
        log.warn("LEDGER KEY-ENCRYPTION KEY {} {}: the patients' data keys are wrapped by a key kept beside the data, "
                + "so erasure is only as final as that file's deletion. Set ledger.erasure.kek to a key kept apart from "
                + "the database and its backups (docs/ERASURE.md).", created ? "CREATED at" : "read from generated file",
                generatedFile.toAbsolutePath());
        return keys;
    }

    /**
     * 32 bytes of base64, given as the path of a file holding them or as such (a path such as /etc/ledger/kek is
     * valid base64 too, so an existing file is tried first); never logged.
     */
    static byte[] read(String configured) {
        String text = configured.strip();
        String encoded = text;
        Path file = null;
        try {
            file = Path.of(text);
        } catch (java.nio.file.InvalidPathException notAPath) {
            // Not a path on this system: the key itself.
        }
        if (file != null && Files.isRegularFile(file)) {
            try {
                encoded = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the key-encryption key file " + text, e);
            }
        } else if (text.startsWith("/") || text.startsWith(".")) {
            throw new IllegalArgumentException("the key-encryption key file " + text + " does not exist");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key-encryption key must be 32 bytes in base64", e);
        }
        if (key.length != 32) throw new IllegalArgumentException("a key-encryption key must be 32 bytes (AES-256), not " + key.length);
        return key;
    }

    private static boolean createIfMissing(Path file) {
        if (Files.exists(file)) return false;
        byte[] key = AesGcm.newKey().getEncoded();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Not a POSIX file system: the file keeps the directory's default permissions.
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the key-encryption key file " + file, e);
        }
    }

    static String idOf(byte[] kek) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(kek);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current KEK's id, as {@code ledger_data_key.kek_id} names it. Public for the bench's bulk fixture (below). */
    public String currentId() { return currentId; }

    boolean generated() { return generated; }

    boolean knows(String kekId) { return byId.containsKey(kekId); }

    /**
     * The data key wrapped by the current KEK, as {@code ledger_data_key.wrapped_key} holds it. Public so that the
     * bench's bulk fixture (ledger-bench, W3) can store its patients' keys as the service would, in bulk.
     */
    public byte[] wrap(String keyId, byte[] dataKey) {
        byte[] nonce = AesGcm.nonce();
        try {
            Cipher cipher = AesGcm.cipher();
            cipher.init(Cipher.ENCRYPT_MODE, byId.get(currentId), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(keyId));
            byte[] ct = cipher.doFinal(dataKey);
            byte[] out = new byte[NONCE + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key", e);
        }
    }

    byte[] unwrap(String keyId, String kekId, byte[] wrapped) {
        SecretKey kek = byId.get(kekId);
        if (kek == null) {
            throw new IllegalStateException("the data key of " + keyId + " is wrapped by KEK " + kekId
                    + ", which is not configured (ledger.erasure.kek / previous-keks)");
        }
        try {
            Cipher cipher = AesGcm.cipher();
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(128, wrapped, 0, NONCE));
            cipher.updateAAD(aad(keyId));
            return cipher.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("the wrapped data key of " + keyId + " does not verify under KEK " + kekId, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot unwrap a data key", e);
        }
    }

    private static byte[] aad(String keyId) {
        return ("ledger-data-key\u0000" + keyId).getBytes(StandardCharsets.UTF_8);
    }
}
