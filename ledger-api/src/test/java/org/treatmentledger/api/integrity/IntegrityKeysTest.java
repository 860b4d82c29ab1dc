package org.treatmentledger.api.integrity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The signing key comes from a file or, as PEM text, from the environment: the same key either way. */
class IntegrityKeysTest {

    @Test
    void theSigningKeyIsReadFromItsFileOrFromItsPemText(@TempDir Path dir) throws Exception {
        String pem = IntegrityKeys.generatePem();
        Path file = Files.writeString(dir.resolve("signing-key.pem"), pem);
        Path unused = dir.resolve("generated.pem");

        IntegrityKeys fromFile = IntegrityKeys.load(properties(file.toString()), unused);
        IntegrityKeys fromText = IntegrityKeys.load(properties(pem), unused);

        assertThat(fromText.signer().keyId()).isEqualTo(fromFile.signer().keyId());
        assertThat(fromText.signer().verifierKey().format()).isEqualTo(fromFile.signer().verifierKey().format());
        assertThat(unused).as("no key generated when one is configured").doesNotExist();
    }

    private static IntegrityProperties properties(String signingKey) {
        return new IntegrityProperties(true, "ledger.example/test", signingKey, null, List.of(), null, null, null);
    }
}
