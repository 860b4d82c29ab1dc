package org.treatmentledger.api.security;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;
import org.treatmentledger.api.LedgerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A production start (an external database) with demo users or a generated signing key is refused, and says why. */
class ProductionModeGuardTest {

    private static final String EXTERNAL = "jdbc:postgresql://127.0.0.1:9/ledger";

    @Test
    void theLedgerRefusesToStartOnAnExternalDatabaseWithDemoUsers() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(LedgerApplication.class).run(
                "--spring.datasource.url=" + EXTERNAL, "--server.port=0", "--spring.main.banner-mode=off",
                "--ledger.integrity.signing-key=/nonexistent/key.pem"));
        ProductionModeGuard.InsecureStartException refused = find(failure);
        assertThat(refused.getMessage()).startsWith("Refusing to start in production mode (an external database is configured)")
                .contains("the demo users are active").doesNotContain("signing key").doesNotContain(EXTERNAL);
        FailureAnalysis analysis = new InsecureStartFailureAnalyzer().analyze(failure);
        assertThat(analysis.getDescription()).isEqualTo(refused.getMessage());
        assertThat(analysis.getAction()).contains("identity provider").contains("ledger.security.mode=development");
    }

    @Test
    void theLedgerRefusesToStartWithAGeneratedSigningKeyEvenWithAnIdentityProvider() {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(LedgerApplication.class).run(
                "--spring.datasource.url=" + EXTERNAL, "--server.port=0", "--spring.main.banner-mode=off",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=https://id.example.invalid/realms/ledger"));
        assertThat(find(failure).reasons()).hasSize(2).anySatisfy(r -> assertThat(r).contains("signing key would be generated"))
                .anySatisfy(r -> assertThat(r).contains("key-encryption key").contains("ledger.erasure.kek"));
    }

    @Test
    void whatCountsAsProduction() {
        MockEnvironment embedded = new MockEnvironment();
        assertThatCode(() -> ProductionModeGuard.check(embedded)).as("the embedded default").doesNotThrowAnyException();
        assertThat(ProductionModeGuard.reasons(embedded)).hasSize(3);

        MockEnvironment embeddedOff = new MockEnvironment().withProperty("ledger.embedded-postgres.enabled", "false");
        assertThatThrownBy(() -> ProductionModeGuard.check(embeddedOff))
                .isInstanceOf(ProductionModeGuard.InsecureStartException.class);

        MockEnvironment declared = new MockEnvironment().withProperty("ledger.security.mode", "production");
        assertThatThrownBy(() -> ProductionModeGuard.check(declared)).hasMessageContaining("ledger.security.mode=production");

        MockEnvironment trial = new MockEnvironment().withProperty("spring.datasource.url", EXTERNAL)
                .withProperty("ledger.security.mode", "development");
        assertThatCode(() -> ProductionModeGuard.check(trial)).doesNotThrowAnyException();

        MockEnvironment configured = new MockEnvironment().withProperty("spring.datasource.url", EXTERNAL)
                .withProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "https://id.example.invalid/jwks")
                .withProperty("ledger.integrity.signing-key", "/run/secrets/ledger-signing-key.pem")
                .withProperty("ledger.erasure.kek", "/run/secrets/ledger-kek");
        assertThatCode(() -> ProductionModeGuard.check(configured)).doesNotThrowAnyException();

        MockEnvironment noKek = new MockEnvironment().withProperty("spring.datasource.url", EXTERNAL)
                .withProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "https://id.example.invalid/jwks")
                .withProperty("ledger.integrity.signing-key", "/run/secrets/ledger-signing-key.pem");
        assertThatThrownBy(() -> ProductionModeGuard.check(noKek)).as("erasure needs a KEK kept apart")
                .hasMessageContaining("ledger.erasure.kek");

        MockEnvironment unsealed = new MockEnvironment().withProperty("spring.datasource.url", EXTERNAL)
                .withProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "https://id.example.invalid/jwks")
                .withProperty("ledger.integrity.enabled", "false")
                .withProperty("ledger.erasure.kek", "/run/secrets/ledger-kek");
        assertThatCode(() -> ProductionModeGuard.check(unsealed)).as("no key is needed without sealing")
                .doesNotThrowAnyException();

        MockEnvironment typo = new MockEnvironment().withProperty("ledger.security.mode", "prod");
        assertThatThrownBy(() -> ProductionModeGuard.check(typo)).hasMessageContaining("use auto");
    }

    private static ProductionModeGuard.InsecureStartException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProductionModeGuard.InsecureStartException refused) return refused;
        }
        throw new AssertionError("the start was not refused by the guard", failure);
    }
}
