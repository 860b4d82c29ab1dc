package org.treatmentledger.api.integrity;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;

/**
 * The tamper-evident log ({@code ledger.integrity.*}; docs/INTEGRITY.md, "The server").
 *
 * @param enabled          seal events and serve checkpoints and proofs (default true)
 * @param origin           the log's name: the first line of every checkpoint and the signing key's name; a host
 *                         name and path the clinic controls, e.g. {@code ledger.clinic.example/treatments}
 * @param signingKey       the Ed25519 private key that signs checkpoints (PKCS#8 PEM, as {@code openssl genpkey
 *                         -algorithm ed25519} writes it): the path of its file, or the PEM text itself (from an
 *                         environment variable); unset, a key is generated at {@code generatedKey}, which a production
 *                         start refuses (ProductionModeGuard)
 * @param generatedKey     where the key is created on first start when {@code signingKey} is unset (default: the
 *                         embedded PostgreSQL's data directory, {@code <data-dir>/ledger-signing-key.pem})
 * @param verificationKeys further Ed25519 public keys (each a path of an X.509 PEM file, or the PEM text itself)
 *                         that old checkpoints may be signed with: the keys of a rotation
 * @param sealInterval     how often the sealer looks for new events (default 500 ms; an acknowledged event is in a
 *                         signed checkpoint within about two intervals)
 * @param sealBatchSize    events sealed per transaction at most (default 5,000)
 * @param evidenceWait     how long an evidence request waits for the patient's newest events to be sealed before
 *                         answering 503 EVIDENCE_NOT_SEALED (default 3 s)
 */
@ConfigurationProperties("ledger.integrity")
public record IntegrityProperties(Boolean enabled, String origin, String signingKey, String generatedKey,
                                  List<String> verificationKeys, Duration sealInterval, Integer sealBatchSize,
                                  Duration evidenceWait) {
    public IntegrityProperties {
        if (enabled == null) enabled = true;
        if (origin == null || origin.isBlank()) origin = "localhost/treatment-ledger";
        if (verificationKeys == null) verificationKeys = List.of();
        if (sealInterval == null) sealInterval = Duration.ofMillis(500);
        if (sealBatchSize == null) sealBatchSize = 5_000;
        if (evidenceWait == null) evidenceWait = Duration.ofSeconds(3);
        if (sealInterval.isNegative() || sealInterval.isZero() || sealBatchSize < 1 || evidenceWait.isNegative()) {
            throw new IllegalArgumentException("ledger.integrity.seal-interval and seal-batch-size must be positive, "
                    + "evidence-wait not negative");
        }
    }
}
