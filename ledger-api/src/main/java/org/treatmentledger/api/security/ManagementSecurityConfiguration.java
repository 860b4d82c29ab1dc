package org.treatmentledger.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.treatmentledger.api.http.Problems;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The actuator endpoints, on the main port (embedded default) or on {@code management.server.port} (the deploy
 * files): liveness, readiness and the aggregate health's status are open (the HTTP contract keeps health open; its
 * components and details are shown only to CLINICIAN, AUDITOR and METRICS, and the other health groups need an
 * account); metrics, Prometheus and info need the METRICS role, held by the
 * scraping account {@link MetricsAccount}. HTTP Basic, throttled like every password sign-in.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LoginThrottleProperties.class)
public class ManagementSecurityConfiguration {

    @Bean
    LoginThrottle loginThrottle(LoginThrottleProperties settings, Clock clock, ObjectProvider<MeterRegistry> meters) {
        return new LoginThrottle(settings, clock, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    LoginOutcomeListener loginOutcomeListener(LoginThrottle throttle) {
        return new LoginOutcomeListener(throttle);
    }

    /** Before the API's chain, which takes every other request. */
    @Bean
    @Order(0)
    SecurityFilterChain managementSecurity(HttpSecurity http, Environment environment, ObjectMapper mapper,
                                           WebEndpointProperties endpoints, LoginThrottle throttle,
                                           AuthenticationEventPublisher events,
                                           ObjectProvider<UserDetailsService> demoUsers) throws Exception {
        String base = endpoints.getBasePath();
        List<AuthenticationProvider> providers = new ArrayList<>();
        UserDetailsService demo = demoUsers.getIfUnique();
        MetricsAccount.of(environment, demo != null).ifPresent(account -> providers.add(new DaoAuthenticationProvider(account)));
        if (demo != null) providers.add(new DaoAuthenticationProvider(demo));
        if (providers.isEmpty()) providers.add(new DaoAuthenticationProvider(MetricsAccount.NONE));
        ProviderManager authentication = new ProviderManager(providers);
        authentication.setAuthenticationEventPublisher(events);

        AuthenticationEntryPoint unauthorized = (request, response, e) ->
                SecurityConfiguration.write(mapper, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized",
                        "Unauthorized", "Authentication is required"), "Basic realm=\"treatment-ledger-management\"");
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .csrf(csrf -> csrf.disable()) // Basic credentials on every request, no cookies
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(authentication)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(base + "/health", base + "/health/liveness", base + "/health/readiness").permitAll()
                        .requestMatchers(base + "/health/**").authenticated()
                        .anyRequest().hasRole(Roles.METRICS))
                .httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler((request, response, d) ->
                        SecurityConfiguration.write(mapper, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden",
                                "Forbidden", "The caller's role does not allow this request"), null)))
                .headers(SecurityHeaders.headers())
                .addFilterBefore(new LoginThrottleFilter(throttle, LoginThrottleFilter.HTTP_BASIC, mapper),
                        BasicAuthenticationFilter.class);
        return http.build();
    }
}
