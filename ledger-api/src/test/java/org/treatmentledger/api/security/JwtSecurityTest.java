package org.treatmentledger.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.treatmentledger.api.Http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Production authentication: an OAuth2 resource server validating JWTs against a JWK set (served here from
 * loopback), roles from the configured claim, and the token's user as {@code recordedBy}. The demo users
 * are off as soon as a JWT source is configured.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JwtSecurityTest {

    private static final RSAKey KEY = generateKey();
    private static final RSAKey OTHER_KEY = generateKey();
    private static final HttpServer JWKS = serveJwks();

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("ledger-jwt-test-") + "/pg";
        registry.add("ledger.embedded-postgres.data-dir", () -> dataDir);
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks");
        registry.add("ledger.security.roles-claim", () -> "ledger_roles");
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop(0);
    }

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    @Test
    void rolesComeFromTheConfiguredClaimAndTheTokenUserIsRecordedBy() {
        Http.Response registered = post(token(KEY, "dr.jones", List.of("INJECTOR"), 300), "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(3, ChronoUnit.DAYS) + "\"}");
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        String patient = registered.text("patientId");

        String auditor = token(KEY, "auditor.anne", List.of("AUDITOR"), 300);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response history = get(auditor, "/api/patients/" + patient + "/history");
            assertThat(history.status()).as(history.raw()).isEqualTo(200);
            assertThat(history.json().at("/entries/0/recordedBy").asText()).isEqualTo("dr.jones");
        });

        // The analyst's token reaches no patient; the auditor's token writes nothing.
        assertThat(get(token(KEY, "ana", List.of("ANALYST"), 300), "/api/patients/" + patient + "/history").status())
                .isEqualTo(403);
        assertThat(post(auditor, "/api/patients", "{\"clinicId\":\"c\",\"sex\":\"MALE\"}").status()).isEqualTo(403);
    }

    @Test
    void badTokensAndDemoUsersAre401() {
        String path = "/api/patients";
        String body = "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\"}";
        Http.Response foreignKey = post(token(OTHER_KEY, "mallory", List.of("CLINICIAN"), 300), path, body);
        Http.Response expired = post(token(KEY, "dr.jones", List.of("CLINICIAN"), -120), path, body);
        Http.Response demoUser = http.post("clinician", path, body);
        for (Http.Response r : List.of(foreignKey, expired, demoUser)) {
            assertThat(r.status()).as(r.raw()).isEqualTo(401);
        }
    }

    private Http.Response post(String token, String path, String json) {
        return http.send(null, "POST", path, json, Map.of("Authorization", "Bearer " + token));
    }

    private Http.Response get(String token, String path) {
        return http.send(null, "GET", path, null, Map.of("Authorization", "Bearer " + token));
    }

    private static String token(RSAKey key, String user, List<String> roles, long validSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("sub-" + user)
                .claim("preferred_username", user)
                .claim("ledger_roles", roles)
                .claim("clinics", List.of("clinic-1"))
                .issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.plusSeconds(validSeconds)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("k-" + System.nanoTime()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes only KEY's public half: a token signed with OTHER_KEY must not validate. */
    private static HttpServer serveJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
