package org.treatmentledger.api.security;

import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import java.util.Arrays;

/**
 * Response headers of every filter chain (OWASP ASVS 14.4): a Content-Security-Policy that allows nothing for the
 * API's JSON, one for Swagger UI's pages that allows only this origin's scripts, and a strict one for the web UI;
 * no referrer, no browser features, HSTS on HTTPS requests, plus Spring Security's defaults (nosniff, frame DENY,
 * no caching).
 */
public final class SecurityHeaders {

    /** JSON and problem+json: nothing may load, nothing may frame it. */
    public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /**
     * HTML pages: scripts, styles, images and fonts from this origin only, fetches only to it, no plug-ins, no
     * framing. Inline scripts stay forbidden (Swagger UI's page loads its initializer as a file); inline styles are
     * allowed because Swagger UI's components set them, and images may be data: URIs (its icons).
     */
    public static final String UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /**
     * The web UI's pages (api.ui): stricter than {@link #UI_POLICY}, no inline script and no inline style at all
     * (its pages load one stylesheet and small script files; its SVG charts use presentation attributes), no data:
     * images, forms post only to this origin.
     */
    public static final String WEB_UI_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** Browser features no page of the ledger uses. */
    public static final String PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
            + "magnetometer=(), microphone=(), payment=(), usb=()";

    /** The HTML pages of the API's chain: Swagger UI (the web UI has its own chain and {@link #webUiHeaders()}). */
    static final String[] UI_PATHS = {"/swagger-ui.html", "/swagger-ui/**"};

    /** HSTS for a year, subdomains included; sent on HTTPS requests only (TLS here or at a trusted proxy). */
    static final long HSTS_SECONDS = 31_536_000;

    private SecurityHeaders() { }

    /** The headers of the web UI's own chain (api.ui): every response of it carries {@link #WEB_UI_POLICY}. */
    public static Customizer<HeadersConfigurer<HttpSecurity>> webUiHeaders() {
        return headers -> headers
                .httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(HSTS_SECONDS).includeSubDomains(true))
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy", PERMISSIONS_POLICY))
                .contentSecurityPolicy(csp -> csp.policyDirectives(WEB_UI_POLICY));
    }

    /** The headers for {@code http}'s chain. */
    public static Customizer<HeadersConfigurer<HttpSecurity>> headers() {
        RequestMatcher ui = new OrRequestMatcher(Arrays.stream(UI_PATHS)
                .map(p -> (RequestMatcher) PathPatternRequestMatcher.withDefaults().matcher(p))
                .toList());
        return headers -> headers
                .httpStrictTransportSecurity(hsts -> hsts.maxAgeInSeconds(HSTS_SECONDS).includeSubDomains(true))
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy", PERMISSIONS_POLICY))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(ui,
                        new StaticHeadersWriter("Content-Security-Policy", UI_POLICY)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(ui),
                        new StaticHeadersWriter("Content-Security-Policy", API_POLICY)));
    }
}
