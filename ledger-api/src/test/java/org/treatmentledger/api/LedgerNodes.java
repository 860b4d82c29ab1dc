package org.treatmentledger.api;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;

/** Ledger nodes for the several-node tests: full application contexts on a random port sharing one PostgreSQL. */
public final class LedgerNodes {

    private LedgerNodes() { }

    /** A node with its own id on the given database; {@code extra} adds or replaces properties (--name=value). */
    public static ConfigurableApplicationContext start(String jdbcUrl, String nodeId, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.maximum-pool-size=12",
                "--server.port=0",
                "--ledger.node-id=" + nodeId,
                "--ledger.cluster.heartbeat-interval=500ms",
                "--spring.lifecycle.timeout-per-shutdown-phase=5s",
                "--spring.main.banner-mode=off",
                // Demo users on an external database: allowed only in development mode (ProductionModeGuard).
                "--ledger.security.mode=development",
                // The nodes of one ledger sign its checkpoints with one key.
                "--ledger.integrity.signing-key=" + SigningKey.FILE,
                // ... and wrap their patients' data keys with one key-encryption key.
                "--ledger.erasure.kek=" + SigningKey.KEK));
        // A property given in extra replaces the default (Spring joins a repeated command-line option with commas).
        for (String e : extra) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e;
            args.removeIf(a -> a.startsWith(key));
        }
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(LedgerApplication.class).run(args.toArray(String[]::new));
    }

    /** One Ed25519 key (PKCS#8 PEM) per test JVM, shared by every node started here. */
    public static final class SigningKey {
        public static final String FILE = create();
        /** The nodes' key-encryption key (ledger.erasure.kek), 32 random bytes in base64. */
        public static final String KEK = java.util.Base64.getEncoder().encodeToString(
                new java.security.SecureRandom().generateSeed(32));

        private static String create() {
            try {
                java.nio.file.Path file = java.nio.file.Files.createTempFile("ledger-nodes-signing-key", ".pem");
                byte[] pkcs8 = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()
                        .getEncoded();
                java.nio.file.Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                        + java.util.Base64.getMimeEncoder().encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
                return file.toString();
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static int port(ConfigurableApplicationContext node) {
        return node.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
