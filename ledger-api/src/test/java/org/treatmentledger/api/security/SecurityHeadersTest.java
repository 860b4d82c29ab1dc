package org.treatmentledger.api.security;

import org.junit.jupiter.api.Test;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Content-Security-Policy, Referrer-Policy, Permissions-Policy on the API's answers and on Swagger UI's page. */
class SecurityHeadersTest extends LedgerTestSupport {

    @Test
    void apiAnswersAllowNothingToLoad() {
        for (Http.Response r : new Http.Response[]{
                http.get("auditor", "/api/patients/" + UUID.randomUUID()),  // 404 problem
                http.get(null, "/api/patients/" + UUID.randomUUID()),       // 401 problem
                http.get(null, "/v3/api-docs"),
                http.get("prometheus", "/actuator/prometheus")}) {
            assertThat(r.header("Content-Security-Policy")).as(r.raw()).isEqualTo(SecurityHeaders.API_POLICY)
                    .startsWith("default-src 'none'");
            assertCommonHeaders(r);
        }
        assertThat(http.get(null, "/api/patients").header("Strict-Transport-Security"))
                .as("HSTS only over HTTPS").isNull();
    }

    @Test
    void swaggerUiGetsAPolicyItsPageCanLiveWith() {
        Http.Response page = http.get(null, "/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).isEqualTo(SecurityHeaders.UI_POLICY)
                .contains("script-src 'self';").doesNotContain("unsafe-eval");
        assertCommonHeaders(page);
        // script-src 'self' forbids inline scripts: the page must load every script from a file of this origin.
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page.raw());
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).contains("src=\"./");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
        for (String asset : new String[]{"/swagger-ui/swagger-initializer.js", "/swagger-ui/swagger-ui-bundle.js"}) {
            Http.Response r = http.get(null, asset);
            assertThat(r.status()).as(asset).isEqualTo(200);
        }
        assertThat(http.get(null, "/v3/api-docs/swagger-config").status()).isEqualTo(200);
    }

    private static void assertCommonHeaders(Http.Response r) {
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("Permissions-Policy")).contains("camera=()").contains("geolocation=()");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
    }
}
