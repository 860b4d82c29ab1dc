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
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.treatmentledger.api.audit.AccessAudit;
import org.treatmentledger.api.clinics.CallerClinics;
import org.treatmentledger.api.clinics.PatientClinics;
import org.treatmentledger.api.http.Problems;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Every /api request is authenticated; the OpenAPI document and Swagger UI are open (the actuator's endpoints have
 * their own chain, {@link ManagementSecurityConfiguration}). HTTP Basic, throttled ({@link LoginThrottle}), with
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
                                       @Value("${ledger.security.roles-claim:roles}") String rolesClaim,
                                       @Value("${ledger.security.clinics-claim:clinics}") String clinicsClaim,
                                       PatientClinics patientClinics, AccessAudit accessAudit,
                                       LoginThrottle throttle) throws Exception {
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
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/admin/ledger/verify").hasRole(Roles.AUDITOR)
                        .requestMatchers("/api/admin/**").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/api/patients/*/corrections").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/api/patients/*/erasure").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/api/**").hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.GET, "/api/analytics/**").hasRole(Roles.ANALYST)
                        .requestMatchers(HttpMethod.GET, "/api/lots/**").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/ledger/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR, Roles.ANALYST)
                        .requestMatchers(HttpMethod.GET, "/api/patients/*/access-log", "/api/patients/*/access-log/**",
                                "/api/audit/**").hasRole(Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/patients/*/evidence").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        // FHIR (docs/FHIR.md): patient-level data, so not ANALYST; the bulk export's GET and DELETE
                        .requestMatchers(HttpMethod.GET, "/api/patients/*/fhir").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers("/api/fhir/**").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.GET, "/api/patients/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers("/api/**").denyAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .headers(SecurityHeaders.headers()) // the actuator has its own chain: ManagementSecurityConfiguration
                // The access record wraps the role check, so refused requests are recorded too; the clinic check
                // follows the role check (another clinic's patient answers as an unknown one).
                .addFilterBefore(accessAudit.filter(), ExceptionTranslationFilter.class)
                .addFilterAfter(patientClinics.filter(), AuthorizationFilter.class);
        if (jwt) {
            http.oauth2ResourceServer(rs -> rs
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(forbidden)
                    .jwt(j -> j.jwtAuthenticationConverter(rolesFromClaim(rolesClaim, clinicsClaim))));
        } else {
            http.httpBasic(basic -> basic.authenticationEntryPoint(unauthorized))
                    .addFilterBefore(new LoginThrottleFilter(throttle, LoginThrottleFilter.HTTP_BASIC, mapper),
                            BasicAuthenticationFilter.class);
        }
        return http.build();
    }

    static Converter<Jwt, AbstractAuthenticationToken> rolesFromClaim(String claim) {
        return rolesFromClaim(claim, "clinics");
    }

    /**
     * Roles from the configured claim (a list or a space/comma separated string), e.g. ["CLINICIAN"]; the user's
     * clinics from the clinics claim (e.g. ["clinic-1"]), as {@link CallerClinics} authorities.
     */
    static Converter<Jwt, AbstractAuthenticationToken> rolesFromClaim(String claim, String clinicsClaim) {
        return jwt -> {
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            for (String role : values(jwt.getClaims().get(claim))) {
                String name = role.toUpperCase(Locale.ROOT);
                authorities.add(new SimpleGrantedAuthority(name.startsWith("ROLE_") ? name : "ROLE_" + name));
            }
            for (String clinic : values(jwt.getClaims().get(clinicsClaim))) {
                authorities.add(CallerClinics.authority(clinic));
            }
            String name = jwt.getClaimAsString("preferred_username");
            return new JwtAuthenticationToken(jwt, authorities, name != null ? name : jwt.getSubject());
        };
    }

    private static List<String> values(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> c) c.forEach(r -> values.add(String.valueOf(r)));
        else if (value instanceof String s) values.addAll(List.of(s.split("[,\\s]+")));
        values.removeIf(String::isBlank);
        return values;
    }

    @Bean
    @ConditionalOnExpression("!(" + JWT_CONFIGURED + ")")
    UserDetailsService demoUsers(@Value("${ledger.security.demo-password:demo}") String password) {
        // Low BCrypt cost: these are demo users whose password is in the configuration anyway, and HTTP Basic
        // checks it on every request.
        String encoded = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password);
        log.warn("DEMO USERS ACTIVE: injector, clinician, auditor, analyst (clinic-1), clinician2, auditor2 (clinic-2) "
                + "(HTTP Basic, password from "
                + "ledger.security.demo-password). Configure spring.security.oauth2.resourceserver.jwt.issuer-uri "
                + "for production.");
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager(
                demoUser("injector", encoded, Roles.INJECTOR, "clinic-1"),
                demoUser("clinician", encoded, Roles.CLINICIAN, "clinic-1"),
                demoUser("auditor", encoded, Roles.AUDITOR, "clinic-1"),
                demoUser("analyst", encoded, Roles.ANALYST, "clinic-1"),
                demoUser("clinician2", encoded, Roles.CLINICIAN, "clinic-2"),
                demoUser("auditor2", encoded, Roles.AUDITOR, "clinic-2"));
        // Only the lookup: as a UserDetailsPasswordService the manager let Spring Security "upgrade" each hash to
        // BCrypt's default cost 10 at its first sign-in, about 80 ms of CPU on every later request.
        return users::loadUserByUsername;
    }

    private static org.springframework.security.core.userdetails.UserDetails demoUser(String name, String password,
                                                                                     String role, String clinic) {
        return User.withUsername(name).password(password)
                .authorities(new SimpleGrantedAuthority("ROLE_" + role), CallerClinics.authority(clinic)).build();
    }

    static void write(ObjectMapper mapper, HttpServletResponse response, ProblemDetail problem,
                              String challenge) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (challenge != null) response.setHeader("WWW-Authenticate", challenge);
        mapper.writeValue(response.getOutputStream(), problem);
    }

}
