package org.treatmentledger.api.erasure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyEncryptionKeysTest {

    @TempDir
    Path dir;

    private static byte[] random() {
        return new SecureRandom().generateSeed(32);
    }

    @Test
    void a_kek_is_read_from_a_file_or_as_base64_and_must_be_256_bits() throws Exception {
        byte[] kek = random();
        Path file = Files.writeString(dir.resolve("kek"), Base64.getEncoder().encodeToString(kek) + "\n");
        assertThat(KeyEncryptionKeys.read(file.toString())).isEqualTo(kek);
        assertThat(KeyEncryptionKeys.read(Base64.getEncoder().encodeToString(kek))).isEqualTo(kek);
        assertThatThrownBy(() -> KeyEncryptionKeys.read(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeyEncryptionKeys.read("/etc/ledger/erasure/kek-that-is-not-there"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void the_development_kek_is_created_once_beside_the_data_and_reused() {
        Path generated = dir.resolve("data").resolve("ledger-erasure-kek");
        ErasureProperties none = new ErasureProperties(null, List.of(), null, java.time.Duration.ofSeconds(10));
        KeyEncryptionKeys first = KeyEncryptionKeys.load(none, generated);
        assertThat(first.generated()).isTrue();
        assertThat(generated).exists();
        assertThat(KeyEncryptionKeys.load(none, generated).currentId()).isEqualTo(first.currentId());
    }

    @Test
    void a_wrapped_key_unwraps_only_for_its_own_key_id_and_under_a_configured_kek() {
        byte[] oldKek = random();
        byte[] newKek = random();
        KeyEncryptionKeys old = new KeyEncryptionKeys(oldKek, List.of(), false);
        byte[] dataKey = random();
        byte[] wrapped = old.wrap("patient-1", dataKey);
        assertThat(old.unwrap("patient-1", old.currentId(), wrapped)).isEqualTo(dataKey);
        assertThatThrownBy(() -> old.unwrap("patient-2", old.currentId(), wrapped)).hasMessageContaining("does not verify");

        KeyEncryptionKeys rotated = new KeyEncryptionKeys(newKek, List.of(oldKek), false);
        assertThat(rotated.unwrap("patient-1", old.currentId(), wrapped)).isEqualTo(dataKey);
        KeyEncryptionKeys newOnly = new KeyEncryptionKeys(newKek, List.of(), false);
        assertThatThrownBy(() -> newOnly.unwrap("patient-1", old.currentId(), wrapped)).hasMessageContaining("not configured");
    }
}
