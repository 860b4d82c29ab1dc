package org.treatmentledger.api.idempotency;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's row left IN_PROGRESS by a first attempt that could neither store its answer nor release the row (the
 * database went away mid-request, or the node died) does not block that request's retries for ever.
 */
class StaleIdempotencyKeyTest extends LedgerTestSupport {

    @Test
    void aRetryTakesOverTheSameRequestsExpiredRowAndRunsIt() {
        String patient = registerPatient(daysAgo(100));
        String path = "/api/patients/" + patient + "/cycle-factors";
        String body = "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(2));
        String key = UUID.randomUUID().toString();
        leftInProgress(key, path, body, "2 minutes");
        long before = eventCount(patient);

        Http.Response retry = http.post("injector", path, body, Map.of("Idempotency-Key", key));

        assertThat(retry.status()).as(retry.raw()).isEqualTo(201);
        assertThat(eventCount(patient)).isEqualTo(before + 1);
        Http.Response replay = http.post("injector", path, body, Map.of("Idempotency-Key", key));
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(eventCount(patient)).isEqualTo(before + 1);
    }

    @Test
    void anExpiredRowOfAnotherRequestIsStillAReusedKey() {
        String patient = registerPatient(daysAgo(100));
        String path = "/api/patients/" + patient + "/cycle-factors";
        String key = UUID.randomUUID().toString();
        leftInProgress(key, path, "{\"occurredAt\":\"%s\",\"factor\":\"ILLNESS\"}".formatted(daysAgo(2)), "2 minutes");
        long before = eventCount(patient);

        Http.Response other = http.post("injector", path, "{\"occurredAt\":\"%s\",\"factor\":\"STRESS\"}".formatted(daysAgo(2)),
                Map.of("Idempotency-Key", key));

        assertProblem(other, 422);
        assertThat(other.text("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(eventCount(patient)).isEqualTo(before);
    }

    private void leftInProgress(String key, String path, String body, String age) {
        String hash = IdempotencyFilter.hash("POST", path, body.getBytes(StandardCharsets.UTF_8), "injector");
        jdbc.update("INSERT INTO idempotency_key (username, idem_key, request_hash, state, created_at) "
                + "VALUES ('injector', ?, ?, 'IN_PROGRESS', now() - CAST(? AS interval))", key, hash, age);
    }
}
