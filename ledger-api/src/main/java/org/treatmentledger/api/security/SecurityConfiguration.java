package org.treatmentledger.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.treatmentledger.api.http.Problems;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Every /api request is authenticated; health, the OpenAPI document and Swagger UI are open. HTTP Basic with
 * four demo users while no JWT issuer is configured (a WARN says so at start); an OAuth2 resource server
 * (JWT, roles from the claim {@code ledger.security.roles-claim}) as soon as
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri} is set.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String JWT_CONFIGURED = "'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}' != '' "
            + "or '${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}' != ''";

    @Bean
    SecurityFilterChain ledgerSecurity(HttpSecurity http, Environment environment, ObjectMapper mapper,
                                       @Value("${ledger.security.roles-claim:roles}") String rolesClaim) throws Exception {
        boolean jwt = !environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "").isBlank()
                || !environment.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "").isBlank();
        AuthenticationEntryPoint unauthorized = (request, response, e) ->
                write(mapper, response, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                        "Authentication is required"), jwt ? "Bearer" : "Basic realm=\"treatment-ledger\"");
        AccessDeniedHandler forbidden = (request, response, e) ->
                write(mapper, response, Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "The caller's role does not allow this request"), null);

        http.csrf(csrf -> csrf.disable()) // stateless API with Basic/Bearer credentials, no cookies
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info",
                                "/actuator/prometheus").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/admin/ledger/verify").hasRole(Roles.AUDITOR)
                        .requestMatchers("/api/admin/**").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/api/patients/*/corrections").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/api/**").hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.GET, "/api/analytics/**").hasRole(Roles.ANALYST)
                        .requestMatchers(HttpMethod.GET, "/api/lots/**").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/ledger/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR, Roles.ANALYST)
                        .requestMatchers(HttpMethod.GET, "/api/patients/*/evidence").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        // FHIR (docs/FHIR.md): patient-level data, so not ANALYST; the bulk export's GET and DELETE
                        .requestMatchers(HttpMethod.GET, "/api/patients/*/fhir").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers("/api/fhir/**").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/patients/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers("/api/**").denyAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
        if (jwt) {
            http.oauth2ResourceServer(rs -> rs
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden)
                    .jwt(j -> j.jwtAuthenticationConverter(rolesFromClaim(rolesClaim))));
        } else {
            http.httpBasic(basic -> basic.authenticationEntryPoint(unauthorized));
        }
        return http.build();
    }

    /** Roles from the configured claim (a list or a space/comma separated string), e.g. ["CLINICIAN"]. */
    static Converter<Jwt, AbstractAuthenticationToken> rolesFromClaim(String claim) {
        return jwt -> {
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            Object value = jwt.getClaims().get(claim);
            List<String> roles = new ArrayList<>();
            if (value instanceof Collection<?> c) c.forEach(r -> roles.add(String.valueOf(r)));
            else if (value instanceof String s) roles.addAll(List.of(s.split("[,\\s]+")));
            for (String role : roles) {
                if (role.isBlank()) continue;
                String name = role.toUpperCase(Locale.ROOT);
                authorities.add(new SimpleGrantedAuthority(name.startsWith("ROLE_") ? name : "ROLE_" + name));
            }
            String name = jwt.getClaimAsString("preferred_username");
            return new JwtAuthenticationToken(jwt, authorities, name != null ? name : jwt.getSubject());
        };
    }

    @Bean
    @ConditionalOnExpression("!(" + JWT_CONFIGURED + ")")
    UserDetailsService demoUsers(@Value("${ledger.security.demo-password:demo}") String password) {
        // Low BCrypt cost: these are demo users whose password is in the configuration anyway, and HTTP Basic
        // checks it on every request.
        String encoded = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password);
        log.warn("DEMO USERS ACTIVE: injector, clinician, auditor, analyst (HTTP Basic, password from "
                + "ledger.security.demo-password). Configure spring.security.oauth2.resourceserver.jwt.issuer-uri "
                + "for production.");
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                User.withUsername("injector").password(encoded).roles(Roles.INJECTOR).build(),
                User.withUsername("clinician").password(encoded).roles(Roles.CLINICIAN).build(),
                User.withUsername("auditor").password(encoded).roles(Roles.AUDITOR).build(),
                User.withUsername("analyst").password(encoded).roles(Roles.ANALYST).build());
        // Only the lookup: as a UserDetailsPasswordService the manager let Spring Security "upgrade" each hash to
        // BCrypt's default cost 10 at its first sign-in, about 80 ms of CPU on every later request.
        return users::loadUserByUsername;
    }

    private static void write(ObjectMapper mapper, HttpServletResponse response, ProblemDetail problem,
                              String challenge) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (challenge != null) response.setHeader("WWW-Authenticate", challenge);
        mapper.writeValue(response.getOutputStream(), problem);
    }

}
