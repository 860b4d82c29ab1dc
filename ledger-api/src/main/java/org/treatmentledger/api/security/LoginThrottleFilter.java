package org.treatmentledger.api.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.www.BasicAuthenticationConverter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.treatmentledger.api.http.Problems;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Refuses a sign-in attempt of a locked account or client address with 429 problem+json and {@code Retry-After}
 * before its password is checked, so a correct password during the lock is refused too. Placed in front of the
 * authentication filter of each filter chain that checks passwords (HTTP Basic here; a form login filter gets the
 * same instance with its own {@link UsernameSource}). Not a bean: as one, Spring Boot would also register it as a
 * servlet filter for every request.
 */
public final class LoginThrottleFilter extends OncePerRequestFilter {

    /** The user name a request tries to sign in as, if it carries a password. */
    @FunctionalInterface
    public interface UsernameSource {
        Optional<String> username(HttpServletRequest request);
    }

    /** The user name of an {@code Authorization: Basic} header; a malformed header is left to the Basic filter. */
    public static final UsernameSource HTTP_BASIC = new UsernameSource() {
        private final BasicAuthenticationConverter converter = new BasicAuthenticationConverter();

        @Override
        public Optional<String> username(HttpServletRequest request) {
            try {
                UsernamePasswordAuthenticationToken token = converter.convert(request);
                return token == null ? Optional.empty() : Optional.ofNullable(token.getName());
            } catch (AuthenticationException malformed) {
                return Optional.empty();
            }
        }
    };

    private final LoginThrottle throttle;
    private final UsernameSource usernames;
    private final ObjectMapper mapper;

    public LoginThrottleFilter(LoginThrottle throttle, UsernameSource usernames, ObjectMapper mapper) {
        this.throttle = throttle;
        this.usernames = usernames;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> username = usernames.username(request);
        Optional<Duration> locked = username.flatMap(u -> throttle.lockedFor(u, request.getRemoteAddr()));
        if (locked.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
        ProblemDetail problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "sign-in-locked", "Too many failed sign-ins",
                "Too many failed sign-ins for this account or from this address: sign-in is locked for " + seconds
                        + " s. A correct password is refused too until then.");
        problem.setProperty("code", "SIGN_IN_LOCKED");
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }
}
