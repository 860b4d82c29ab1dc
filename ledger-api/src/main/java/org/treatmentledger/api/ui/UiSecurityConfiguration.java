package org.treatmentledger.api.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.treatmentledger.api.audit.AccessAudit;
import org.treatmentledger.api.clinics.PatientClinics;
import org.treatmentledger.api.security.LoginThrottle;
import org.treatmentledger.api.security.LoginThrottleFilter;
import org.treatmentledger.api.security.Roles;
import org.treatmentledger.api.security.SecurityHeaders;

import java.util.Optional;

/**
 * The web UI's own filter chain, before the API's (which stays stateless with Basic/JWT): form login at /login
 * with the same users, roles and clinics, a session cookie (HttpOnly, SameSite=Strict: application.properties),
 * CSRF tokens on every form, a new session id at sign-in, logout. Sign-ins are throttled by the same
 * {@link LoginThrottle} as HTTP Basic, and the pages on one patient pass the same clinic check and access audit
 * filters as the API's patient requests (their paths are /patients/{id}/...).
 */
@Configuration(proxyBeanMethods = false)
public class UiSecurityConfiguration {

    /** The web UI's paths; everything else belongs to the API's chain or the management chain. */
    static final String[] UI_PATHS = {"/", "/login", "/logout", "/denied", "/patients", "/patients/**",
            "/patient-search", "/register", "/analytics", "/analytics/**", "/integrity", "/ui/**", "/favicon.ico"};

    /** The user name of a form sign-in (POST /login); other requests carry no password. */
    static final LoginThrottleFilter.UsernameSource FORM_LOGIN = (HttpServletRequest request) ->
            "POST".equals(request.getMethod()) && "/login".equals(request.getRequestURI())
                    ? Optional.ofNullable(request.getParameter("username")).filter(u -> !u.isBlank())
                    : Optional.empty();

    /** After the management chain (order 0), before the API's chain, which takes every other request. */
    @Bean
    @Order(1)
    SecurityFilterChain webUiSecurity(HttpSecurity http, ObjectMapper mapper, LoginThrottle throttle,
                                      AuthenticationEventPublisher events, ObjectProvider<UserDetailsService> users,
                                      PatientClinics patientClinics, AccessAudit accessAudit) throws Exception {
        // The demo users when they are on; with a JWT issuer only, the UI has no password users and every sign-in
        // fails (docs/OPERATIONS.md: the web UI needs a user store).
        UserDetailsService store = users.getIfUnique();
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(store != null ? store : username -> {
            throw new UsernameNotFoundException("no password users configured");
        });
        ProviderManager authentication = new ProviderManager(provider);
        authentication.setAuthenticationEventPublisher(events);

        http.securityMatcher(UI_PATHS)
                .authenticationManager(authentication)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/login", "/denied", "/ui/**", "/favicon.ico").permitAll()
                        .requestMatchers("/analytics", "/analytics/**").hasRole(Roles.ANALYST)
                        .requestMatchers("/patients/*/access-log").hasRole(Roles.AUDITOR)
                        .requestMatchers("/patients/*/evidence").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/patients/*/corrections").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/patients/*/erasure").hasRole(Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.GET, "/patients/*/corrections").hasAnyRole(Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/patient-search")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers(HttpMethod.POST, "/patients", "/patients/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.POST, "/integrity").hasRole(Roles.AUDITOR)
                        .requestMatchers("/patients/*/record/correction", "/patients/*/record/erasure").hasRole(Roles.CLINICIAN)
                        .requestMatchers("/register", "/patients/*/record/**").hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN)
                        .requestMatchers(HttpMethod.GET, "/patients", "/patients/**")
                        .hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR)
                        .requestMatchers("/integrity").hasAnyRole(Roles.INJECTOR, Roles.CLINICIAN, Roles.AUDITOR, Roles.ANALYST)
                        .requestMatchers("/", "/logout").authenticated()
                        .anyRequest().denyAll())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).failureUrl("/login?error")
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout")
                        .deleteCookies("JSESSIONID"))
                // A new session id at sign-in (the session's attributes move along), so a planted id is worthless.
                .sessionManagement(s -> s.sessionFixation(f -> f.changeSessionId()))
                .exceptionHandling(e -> e.accessDeniedPage("/denied"))
                .headers(SecurityHeaders.webUiHeaders())
                .addFilterBefore(new LoginThrottleFilter(throttle, FORM_LOGIN, mapper),
                        UsernamePasswordAuthenticationFilter.class)
                // The same order as the API's chain: the record wraps the role check, the clinic check follows it.
                .addFilterBefore(accessAudit.filter(), ExceptionTranslationFilter.class)
                .addFilterAfter(patientClinics.filter(), AuthorizationFilter.class);
        return http.build();
    }
}
