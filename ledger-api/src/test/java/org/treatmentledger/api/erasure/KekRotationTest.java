package org.treatmentledger.api.erasure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.projections.store.EventCodec;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A KEK rotation rewraps the data keys and leaves the events as they are; the new KEK alone then reads them. */
class KekRotationTest extends LedgerTestSupport {

    @Autowired
    DataSource dataSource;

    @Autowired
    KeyEncryptionKeys serviceKeks;

    @org.springframework.beans.factory.annotation.Value("${ledger.embedded-postgres.data-dir}")
    String dataDir;

    @Test
    void rotation_rewraps_every_data_key_without_rewriting_events() {
        String ref = "ROTATE" + UUID.randomUUID();
        Http.Response reg = http.post("clinician", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"MALE\",\"externalRef\":\"" + ref + "\"}");
        assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
        String p = reg.text("patientId");
        byte[] old = KeyEncryptionKeys.read(java.nio.file.Path.of(dataDir).resolve("ledger-erasure-kek").toString());
        assertThat(KeyEncryptionKeys.idOf(old)).as("the test reads the service's generated KEK").isEqualTo(serviceKeks.currentId());
        byte[] next = new SecureRandom().generateSeed(32);
        String events = eventsDigest();
        long keys = jdbc.queryForObject("SELECT count(*) FROM ledger_data_key WHERE destroyed_at IS NULL", Long.class);

        DataKeyStore rotating = store(next, old);
        try {
            assertThat(rotating.rotate()).isEqualTo(keys);
            assertThat(jdbc.queryForList("SELECT DISTINCT kek_id FROM ledger_data_key WHERE destroyed_at IS NULL", String.class))
                    .containsExactly(KeyEncryptionKeys.idOf(next));
            assertThat(eventsDigest()).as("no event rewritten").isEqualTo(events);
            assertThat(rotating.rotate()).as("nothing left to rewrap").isZero();

            // The new KEK alone reads the patient's fields; the old one alone no longer unwraps its key.
            byte[] stored = jdbc.queryForObject("SELECT payload FROM domainevententry WHERE aggregateidentifier = ?"
                    + " AND sequencenumber = 0", byte[].class, p);
            PatientRegistered read = (PatientRegistered) new EventCodec(store(next)).fromJson("PatientRegistered", stored);
            assertThat(read.externalRef()).isEqualTo(ref);
            assertThatThrownBy(() -> store(old).forReading(p)).hasMessageContaining("not configured");
        } finally {
            // Back to the service's KEK: the other tests share this database.
            store(old, next).rotate();
        }
        assertThat(jdbc.queryForList("SELECT DISTINCT kek_id FROM ledger_data_key WHERE destroyed_at IS NULL", String.class))
                .containsExactly(serviceKeks.currentId());
    }

    private DataKeyStore store(byte[] current, byte[]... previous) {
        return new DataKeyStore(jdbc, dataSource, new KeyEncryptionKeys(current, List.of(previous), false), Duration.ZERO);
    }

    private String eventsDigest() {
        return jdbc.queryForObject("SELECT count(*) || ':' || md5(string_agg(md5(payload), '' ORDER BY globalindex))"
                + " FROM domainevententry", String.class);
    }
}
