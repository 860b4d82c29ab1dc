package org.treatmentledger.api.integrity;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.treatmentledger.verify.note.NoteKeys;
import org.treatmentledger.verify.note.NoteSigner;
import org.treatmentledger.verify.note.VerifierKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint signing key and the keys old checkpoints may be signed with. PEM files in the standard forms
 * (PKCS#8 private key, X.509 SubjectPublicKeyInfo public key), read with the JDK's own Ed25519; the note format's
 * key names and key IDs come from ledger-verify, so server and verifier agree on them.
 */
public final class IntegrityKeys {

    private static final Logger log = LoggerFactory.getLogger(IntegrityKeys.class);
    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    private final NoteSigner signer;
    private final Map<Integer, VerifierKey> trusted;

    IntegrityKeys(NoteSigner signer, List<VerifierKey> others) {
        this.signer = signer;
        Map<Integer, VerifierKey> keys = new LinkedHashMap<>();
        keys.put(signer.keyId(), signer.verifierKey());
        for (VerifierKey key : others) keys.putIfAbsent(key.keyId(), key);
        this.trusted = Map.copyOf(keys);
    }

    /** The keys as configured; creates the signing key at {@code generated} (with a WARN) when none is configured. */
    static IntegrityKeys load(IntegrityProperties properties, Path generated) {
        String origin = properties.origin();
        NoteSigner signer;
        String configured = properties.signingKey();
        if (configured != null && !configured.isBlank()) {
            // The PEM itself (e.g. from an environment variable) or the path of its file; never logged.
            String pem = configured.strip().startsWith("-----BEGIN") ? configured : read(Path.of(configured.strip()));
            signer = NoteSigner.fromSeed(origin, privateSeed(pem));
        } else {
            boolean created = createIfMissing(generated);
            signer = NoteSigner.fromSeed(origin, privateSeed(read(generated)));
            log.warn("LEDGER SIGNING KEY {} {}: checkpoints are signed with a key kept beside the data. Set "
                            + "ledger.integrity.signing-key to a key kept apart from the database (docs/INTEGRITY.md, "
                            + "\"Keys\"), and publish its public key.", created ? "CREATED at" : "read from generated file",
                    generated.toAbsolutePath());
        }
        List<VerifierKey> others = new ArrayList<>();
        for (String key : properties.verificationKeys()) {
            String pem = key.strip().startsWith("-----BEGIN") ? key : read(Path.of(key.strip()));
            others.add(VerifierKey.ed25519(origin, publicKeyBytes(pem)));
        }
        IntegrityKeys keys = new IntegrityKeys(signer, others);
        log.info("Ledger checkpoints are signed by {} (key ID {}); trusted for old checkpoints: {}",
                signer.verifierKey().format(), NoteKeys.hex(signer.keyId()), keys.trusted.size());
        return keys;
    }

    public NoteSigner signer() {
        return signer;
    }

    /** The signing key and every configured verification key, by key ID. */
    public Map<Integer, VerifierKey> trusted() {
        return trusted;
    }

    /** The 32-byte RFC 8032 private key of a PKCS#8 PEM Ed25519 key. */
    static byte[] privateSeed(String pem) {
        try {
            var key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pemBody(pem, PRIVATE_PEM)));
            if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
                throw new IllegalArgumentException("the signing key is not an Ed25519 private key");
            }
            return ed.getBytes().get();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the signing key is not a PKCS#8 Ed25519 private key", e);
        }
    }

    /** The raw 32-byte key of an X.509 (SubjectPublicKeyInfo) PEM Ed25519 public key. */
    static byte[] publicKeyBytes(String pem) {
        try {
            byte[] spki = pemBody(pem, PUBLIC_PEM);
            var key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            if (!(key instanceof EdECPublicKey) || spki.length != 44) {
                throw new IllegalArgumentException("a verification key is not an Ed25519 public key");
            }
            // SubjectPublicKeyInfo of Ed25519 (RFC 8410): a fixed 12-byte prefix, then the key's 32 bytes.
            return Arrays.copyOfRange(spki, 12, 44);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("a verification key is not an X.509 PEM Ed25519 public key", e);
        }
    }

    /** A new Ed25519 key as PKCS#8 PEM, the form {@code openssl genpkey -algorithm ed25519} writes. */
    static String generatePem() {
        try {
            byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
            return pem(PRIVATE_PEM, pkcs8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    /** The public key of a signer as an X.509 PEM, the form {@code ledger.integrity.verification-keys} reads. */
    static String publicPem(VerifierKey key) {
        byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
        byte[] spki = Arrays.copyOf(prefix, 44);
        System.arraycopy(key.publicKey(), 0, spki, 12, 32);
        return pem(PUBLIC_PEM, spki);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pemBody(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("not a PEM " + type + " (" + begin + " ... " + end + ")");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM " + type + " is not base64");
        }
    }

    /** Creates the key file readable by its owner only; a node that loses the race to another reads the winner's. */
    private static boolean createIfMissing(Path file) {
        if (Files.exists(file)) return false;
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".signing-key", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // Windows: the file inherits the directory's permissions.
                }
                Files.writeString(temp, generatePem(), StandardOpenOption.TRUNCATE_EXISTING);
                Files.createLink(file, temp); // atomic: fails if another process created the file meanwhile
                return true;
            } catch (FileAlreadyExistsException lost) {
                return false;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ledger signing key " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key file " + file, e);
        }
    }
}
